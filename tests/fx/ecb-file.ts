/**
 * The real ECB history file of `../shared/data` (never copied into the project), and an
 * independent reading of it, so tests take expected rates from the file rather than from memory.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';

export const ECB_ZIP = fileURLToPath(
  new URL('../../../shared/data/eurofxref-hist.zip', import.meta.url),
);

export interface EcbCsv {
  text: string;
  /** Currency columns, in file order. */
  codes: string[];
  /** date → currency → rate text as published; `N/A` cells are absent. */
  byDate: Map<string, Map<string, string>>;
  /** Every date of the file, ascending. */
  dates: string[];
  /** Cells other than N/A. */
  rateCount: number;
}

export function readEcbCsv(): EcbCsv {
  const entries = unzipSync(new Uint8Array(readFileSync(ECB_ZIP)));
  const csv = Object.values(entries)[0];
  if (!csv) throw new Error(`${ECB_ZIP} holds no file`);
  const text = new TextDecoder().decode(csv);
  const [headerLine, ...rows] = text.trim().split(/\r?\n/);
  const codes = headerLine!.split(',').slice(1).filter(Boolean);
  const byDate = new Map<string, Map<string, string>>();
  let rateCount = 0;
  for (const row of rows) {
    const [date, ...cells] = row.split(',');
    const rates = new Map<string, string>();
    codes.forEach((code, i) => {
      if (cells[i] !== 'N/A') {
        rates.set(code, cells[i]!);
        rateCount++;
      }
    });
    byDate.set(date!, rates);
  }
  return { text, codes, byDate, dates: [...byDate.keys()].sort(), rateCount };
}

/** The rate of `code` on `date` as published, failing the test if the file has none. */
export function rateOn(csv: EcbCsv, date: string, code: string): string {
  const rate = csv.byDate.get(date)?.get(code);
  if (rate === undefined) throw new Error(`the ECB file has no ${code} rate on ${date}`);
  return rate;
}

/** The latest date on or before `date` on which every one of `codes` has a rate. */
export function latestDateWithRates(
  csv: EcbCsv,
  date: string,
  codes: string[],
): string | undefined {
  for (let i = csv.dates.length - 1; i >= 0; i--) {
    const d = csv.dates[i]!;
    if (d > date) continue;
    const rates = csv.byDate.get(d)!;
    if (codes.every((c) => rates.has(c))) return d;
  }
  return undefined;
}

/** Exact decimal text as an integer over a power of ten, for independent arithmetic. */
export function decimalParts(text: string): { mantissa: bigint; scale: bigint } {
  const [whole, fraction = ''] = text.split('.');
  return { mantissa: BigInt(whole! + fraction), scale: BigInt(fraction.length) };
}

/** Round-half-even of n/d (d > 0), written out independently of src/core/fx.ts. */
export function roundHalfEvenIndependent(n: bigint, d: bigint): bigint {
  const sign = n < 0n ? -1n : 1n;
  const abs = n * sign;
  const floor = abs / d;
  const rest = abs - floor * d;
  let result = floor;
  if (rest * 2n > d) result = floor + 1n;
  else if (rest * 2n === d && floor % 2n !== 0n) result = floor + 1n;
  return result * sign;
}
