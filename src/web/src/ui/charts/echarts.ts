/**
 * ECharts, with only the parts the app draws (bars, lines, heatmaps; axes, tooltips, legends,
 * the visual map) and the SVG renderer (sharp at any zoom, text selectable). Import `echarts`
 * from here, never from 'echarts' itself, so the bundle stays small.
 */
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  DatasetComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  HeatmapChart,
  LineChart,
  DatasetComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
  SVGRenderer,
]);

export { echarts };

/**
 * Okabe–Ito: eight colours told apart with every common colour-vision deficiency. In the order
 * the charts use them (the first two for the main series).
 */
export const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#D55E00',
  '#56B4E9',
  '#000000',
  '#F0E442',
] as const;

/** Text and lines on a white background, dark enough to read (WCAG AA). */
export const INK = '#343a40';
export const GRID_LINE = '#dee2e6';

/**
 * The page's font, named (not `inherit`): ECharts measures text with it to lay out labels and
 * legends, and a font it cannot resolve gives wrong widths (cut or overlapping labels).
 */
export const CHART_FONT =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif';
