/**
 * ECharts' Sankey series, registered with the app's ECharts core (ui/charts/echarts.ts holds the
 * common parts; the flow diagram is the only Sankey, so it is added here, in its own chunk).
 */
import { SankeyChart } from 'echarts/charts';
import { echarts } from '../../ui/charts/echarts';

echarts.use([SankeyChart]);

export { echarts };
