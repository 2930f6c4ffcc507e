/**
 * The facts about the machine a benchmark ran on, written beside its figures: the machine is
 * shared, so the load average at the start is part of the record.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';

export interface MachineFacts {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  /** 1-minute load average when the benchmark started (other sessions' processes count). */
  loadAverage1m: number;
}

export function machineFacts(): MachineFacts {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: process.platform,
    loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
  };
}

/** One line for the end of a benchmark's table. */
export function machineLine(machine: MachineFacts): string {
  return (
    `machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ` +
    `Node ${machine.node}, load average ${machine.loadAverage1m} at start`
  );
}

/** A Markdown table row. */
export const tableLine = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Writes a benchmark's figures to `bench/results/NAME.json` (pretty JSON, one final newline). */
export async function writeBenchResults(
  name: string,
  figures: Record<string, unknown>,
): Promise<void> {
  const out = new URL('../results/', import.meta.url);
  await mkdir(out, { recursive: true });
  await writeFile(new URL(`${name}.json`, out), JSON.stringify(figures, null, 2) + '\n');
}
