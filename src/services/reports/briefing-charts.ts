/**
 * The briefing's charts, drawn by Apache ECharts on the server as SVG (`renderer: 'svg', ssr:
 * true`) and embedded inline in the HTML, so the PDF holds real vector graphics whose text
 * (axis labels, legends, values) stays selectable. Pure: no I/O.
 *
 * Rules:
 * - Readable in black-and-white print: each series has a decal pattern as well as a colour
 *   (ECharts `aria.decal`), lines differ by dash and symbol, values are written on the bars, and
 *   every chart has a legend or labelled axes.
 * - Every word and number is in the reader's language (`briefing-format.ts`,
 *   `briefing-messages.ts`). The values printed on the chart are formatted from the exact bigint
 *   amounts; ECharts receives a JS number only to size the bars and place the ticks (geometry,
 *   never a figure anyone reads as money).
 * - No animation; a fixed size in CSS pixels (the HTML scales the SVG to the page width).
 */
import type * as EChartsModule from 'echarts';

type ECharts = typeof EChartsModule;
import type { ReportingCurrency } from '../../core/analytics.js';
import { formatAmount } from '../../core/money.js';
import type { BriefingFormat } from './briefing-format.js';
import type { BriefingMessages } from './briefing-messages.js';
import type { BriefingCoverageRow, BriefingDonor, BriefingPace } from './briefing-model.js';

/** The document's fonts: Open Sans (bundled with @sparticuz/chromium), else the system's. */
export const CHART_FONT_FAMILY = "'Open Sans', 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif";

/** CSS pixels: close to the printed width (178 mm), so the chart's text prints at its size. */
const CHART_WIDTH = 700;

/** Colours that stay distinct in grey: dark, middle, light, and an accent for targets. */
const PALETTE = ['#1b365d', '#5b7fb5', '#a9bfdc', '#b4541a', '#333333'];

export interface ChartContext {
  format: BriefingFormat;
  messages: BriefingMessages;
  currency: ReportingCurrency;
}

/** Monthly committed / paid / delivered bars, cumulative committed vs cumulative target lines. */
export function paceChartSvg(pace: BriefingPace, context: ChartContext): string {
  const { format, messages } = context;
  const scale = amountScale(
    [...pace.months.map((m) => m.cumulativeCommittedMinor), pace.goalMinor],
    context,
  );
  const bar = (name: string, pick: (m: BriefingPace['months'][number]) => bigint) => ({
    name,
    type: 'bar' as const,
    barGap: '8%',
    data: pace.months.map((m) => labelled(scale.value(pick(m)), scale.label(pick(m)))),
    label: {
      show: true,
      position: 'insideBottom' as const,
      rotate: 90,
      align: 'left' as const,
      verticalAlign: 'middle' as const,
      distance: 4,
      fontSize: 8,
      color: '#000',
      backgroundColor: 'rgba(255,255,255,0.8)',
      padding: [1, 2],
    },
  });
  const line = (
    name: string,
    pick: (m: BriefingPace['months'][number]) => bigint,
    dashed: boolean,
  ) => ({
    name,
    type: 'line' as const,
    symbol: dashed ? 'rect' : 'circle',
    symbolSize: 6,
    lineStyle: { width: 2, type: dashed ? ('dashed' as const) : ('solid' as const) },
    data: pace.months.map((m) => labelled(scale.value(pick(m)), scale.label(pick(m)))),
    endLabel: { show: true, fontSize: 9, color: '#000' },
  });
  return render(CHART_WIDTH, 420, {
    legend: { top: 0, itemGap: 14 },
    grid: { left: 64, right: 90, top: 40, bottom: 36 },
    xAxis: {
      type: 'category',
      data: pace.months.map((m) => format.month(m.month)),
      axisLabel: { fontSize: 10, color: '#000' },
    },
    yAxis: {
      type: 'value',
      name: messages.pace.axisAmount(scale.unit),
      nameLocation: 'middle',
      nameGap: 46,
      axisLabel: { formatter: scale.tick, fontSize: 10, color: '#000' },
    },
    series: [
      bar(messages.pace.committed, (m) => m.committedMinor),
      bar(messages.pace.paid, (m) => m.paidMinor),
      bar(messages.pace.delivered, (m) => m.deliveredMinor),
      line(messages.pace.cumulativeCommitted, (m) => m.cumulativeCommittedMinor, false),
      line(messages.pace.cumulativeTarget, (m) => m.cumulativeTargetMinor, true),
    ],
    color: PALETTE,
    aria: { enabled: true, decal: { show: true } },
  });
}

/**
 * Ranked horizontal bars of % of GDP (the `limit` largest shares), each labelled with its % and
 * its committed amount.
 */
export function burdenChartSvg(
  donors: BriefingDonor[],
  context: ChartContext,
  limit: number,
): string {
  const { format, messages, currency } = context;
  const shown = donors.filter((d) => d.percentGdp !== null);
  const ranked = [...shown]
    .sort((a, b) => comparePercent(b.percentGdp, a.percentGdp))
    .slice(0, limit);
  // ECharts draws the first category at the bottom: reverse so the largest share is on top.
  const rows = [...ranked].reverse();
  const height = Math.max(160, 60 + rows.length * 26);
  return render(CHART_WIDTH, height, {
    grid: { left: 150, right: 170, top: 16, bottom: 40 },
    xAxis: {
      type: 'value',
      name: messages.burden.axis,
      nameLocation: 'middle',
      nameGap: 26,
      axisLabel: {
        formatter: (v: number) => format.percent(String(v), 2),
        fontSize: 9,
        color: '#000',
      },
    },
    yAxis: {
      type: 'category',
      data: rows.map((d) => (d.gdpFallback ? `${d.name} *` : d.name)),
      axisLabel: { fontSize: 10, color: '#000' },
    },
    series: [
      {
        name: messages.burden.percentGdp,
        type: 'bar',
        barWidth: '62%',
        data: rows.map((d) =>
          labelled(
            Number(d.percentGdp),
            `${format.percent(d.percentGdp, 3)} · ${format.money(d.committedMinor, currency)}`,
          ),
        ),
        label: { show: true, position: 'right', fontSize: 9, color: '#000' },
      },
    ],
    color: PALETTE,
    aria: { enabled: true, decal: { show: true } },
  });
}

/** Per capability area: approved, funded and delivered bars side by side. */
export function coverageChartSvg(rows: BriefingCoverageRow[], context: ChartContext): string {
  const { messages } = context;
  const scale = amountScale(
    rows.map((r) => maxOf(r.approvedMinor, r.fundedMinor, r.deliveredMinor)),
    context,
  );
  const ordered = [...rows].reverse();
  const series = (name: string, pick: (r: BriefingCoverageRow) => bigint) => ({
    name,
    type: 'bar' as const,
    barGap: '10%',
    data: ordered.map((r) => labelled(scale.value(pick(r)), scale.label(pick(r)))),
    label: { show: true, position: 'right' as const, fontSize: 8, color: '#000' },
  });
  const height = Math.max(200, 70 + ordered.length * 48);
  return render(CHART_WIDTH, height, {
    legend: { top: 0, itemGap: 14 },
    grid: { left: 190, right: 70, top: 34, bottom: 40 },
    xAxis: {
      type: 'value',
      name: messages.coverage.axisAmount(scale.unit),
      nameLocation: 'middle',
      nameGap: 26,
      axisLabel: { formatter: scale.tick, fontSize: 9, color: '#000' },
    },
    yAxis: {
      type: 'category',
      data: ordered.map((r) => r.name),
      axisLabel: { fontSize: 10, color: '#000', width: 170, overflow: 'break' },
    },
    series: [
      series(messages.coverage.approved, (r) => r.approvedMinor),
      series(messages.coverage.funded, (r) => r.fundedMinor),
      series(messages.coverage.delivered, (r) => r.deliveredMinor),
    ],
    color: PALETTE,
    aria: { enabled: true, decal: { show: true } },
  });
}

// ---- helpers ----

interface AmountScale {
  /** The axis unit: "$ bn" / "Md$", or millions. */
  unit: string;
  /** Geometry only: the amount in the unit as a JS number. */
  value(amountMinor: bigint): number;
  /** The label written on a bar: exact amount rounded for display. */
  label(amountMinor: bigint): string;
  /** An axis tick (a number ECharts chose) in the reader's format. */
  tick(value: number): string;
}

/** Billions when the largest amount reaches one billion, else millions. */
function amountScale(amounts: bigint[], context: ChartContext): AmountScale {
  const { format, messages, currency } = context;
  const largest = amounts.reduce((a, b) => maxOf(a, b < 0n ? -b : b), 0n);
  const billions = largest >= 100_000_000_000n;
  const power = billions ? 9 : 6;
  const ticks = new Intl.NumberFormat(format.lang === 'fr' ? 'fr-FR' : 'en-GB', {
    maximumFractionDigits: 2,
  });
  return {
    unit: billions ? messages.unitBillions[currency] : messages.unitMillions[currency],
    value: (amountMinor) => Number(formatAmount(amountMinor, 2 + power)),
    label: (amountMinor) =>
      billions ? format.billions(amountMinor, 2) : format.millions(amountMinor, 1),
    tick: (value) => ticks.format(value),
  };
}

/**
 * A data item whose label is our own text (ECharts prints a template-free string as is); a zero
 * gets no label, so empty months do not fill the chart with "0.00".
 */
function labelled(value: number, text: string) {
  if (value === 0) return { value, label: { show: false } };
  return { value, label: { formatter: text.replace(/[{}]/g, '') } };
}

function maxOf(...values: bigint[]): bigint {
  return values.reduce((a, b) => (b > a ? b : a));
}

/** Orders decimal-text percentages exactly (null last). */
function comparePercent(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const scale = (text: string) => {
    const [whole = '0', fraction = ''] = text.split('.');
    return BigInt(whole + fraction.padEnd(12, '0').slice(0, 12));
  };
  const diff = scale(a) - scale(b);
  return diff === 0n ? 0 : diff < 0n ? -1 : 1;
}

let echarts: ECharts | undefined;

/**
 * Loads the chart library (≈ 1 s and ≈ 45 MB, so not at start-up): the briefing calls this
 * before it draws, and the drawing functions stay synchronous.
 */
export async function loadChartLibrary(): Promise<void> {
  echarts ??= await import('echarts');
}

function render(width: number, height: number, option: Record<string, unknown>): string {
  if (!echarts) throw new Error('loadChartLibrary() must run before a chart is drawn');
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: CHART_FONT_FAMILY, color: '#000' },
      ...option,
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
