/**
 * ECharts line chart of compliance % per framework per day (loaded lazily: this module and echarts form their own
 * chunk). Colours come from the page's CSS variables, so the chart follows the light or dark theme.
 */
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useContext, useEffect, useRef } from 'react';
import type { Series } from '../components/chart.js';
import { frameworkName } from '../format.js';
import { ThemeContext } from '../theme.js';

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

const css = (name: string): string =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/** Draws `series`; default export for React.lazy. */
export default function ComplianceEChart({ series }: { series: Series[] }) {
  const el = useRef<HTMLDivElement>(null);
  const theme = useContext(ThemeContext);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `theme` changes the CSS variables read here
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, undefined, { renderer: 'svg' });
    const text = css('--text');
    const muted = css('--muted');
    const grid = css('--border');
    const palette = [1, 2, 3, 4, 5, 6].map((i) => css(`--series-${i}`));
    chart.setOption({
      color: palette,
      animation: false,
      textStyle: { color: text },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v}%` : '–') },
      legend: { top: 0, textStyle: { color: text } },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        data: series[0]?.points.map((p) => p.day) ?? [],
        axisLabel: { color: muted },
        axisLine: { lineStyle: { color: grid } },
      },
      yAxis: {
        type: 'value',
        min: 0,
        max: 100,
        axisLabel: { color: muted, formatter: '{value}%' },
        splitLine: { lineStyle: { color: grid } },
      },
      series: series.map((s) => ({
        name: frameworkName(s.framework),
        type: 'line',
        showSymbol: true,
        symbolSize: 5,
        connectNulls: false,
        areaStyle: { opacity: 0.08 },
        data: s.points.map((p) => p.percent),
      })),
    });
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      chart.dispose();
    };
  }, [series, theme]);
  return <div ref={el} className="chart" data-testid="compliance-chart" />;
}
