/**
 * One chart: ECharts drawn in SVG, in a figure that screen readers announce by its label (the
 * drawing itself is hidden from them: the same figures are in the card's table view). A click on
 * a data item calls `onItemClick` with its index (to open the item's drill-down).
 */
import ReactEChartsCore from 'echarts-for-react/esm/core';
import type { EChartsOption } from 'echarts';
import { useMemo } from 'react';
import { CHART_FONT, PALETTE, echarts } from './echarts';

interface ChartEvent {
  seriesIndex?: number;
  dataIndex?: number;
}

export interface EChartProps {
  option: EChartsOption;
  /** What the chart shows, in words (its accessible name). */
  label: string;
  height?: number;
  onItemClick?: (item: { seriesIndex: number; dataIndex: number }) => void;
}

export function EChart({ option, label, height = 320, onItemClick }: EChartProps) {
  const events = useMemo((): Record<string, (params: ChartEvent) => void> => {
    if (!onItemClick) return {};
    return {
      click: (params) => {
        if (params.dataIndex === undefined) return;
        onItemClick({ seriesIndex: params.seriesIndex ?? 0, dataIndex: params.dataIndex });
      },
    };
  }, [onItemClick]);
  const full = useMemo(
    (): EChartsOption => ({
      color: [...PALETTE],
      animationDuration: 300,
      textStyle: { fontFamily: CHART_FONT },
      ...option,
    }),
    [option],
  );
  return (
    <div role="img" aria-label={label} data-chart>
      <ReactEChartsCore
        echarts={echarts}
        option={full}
        notMerge
        opts={{ renderer: 'svg' }}
        style={{ height, width: '100%' }}
        onEvents={events}
        aria-hidden="true"
      />
    </div>
  );
}
