/**
 * The compliance chart with its text alternative. The drawing (ECharts) is code-split: it loads only when a page
 * shows a chart. The chart canvas is hidden from assistive technology; a summary names what it shows and a table
 * (in a disclosure) gives every value.
 */
import { lazy, Suspense } from 'react';
import { frameworkName, percent } from '../format.js';

const EChart = lazy(() => import('../charts/compliance-chart.js'));

/** One line of the chart: a framework's daily percentages. */
export interface Series {
  framework: string;
  points: { day: string; percent: number | null }[];
}

/** Compliance % over time, one line per framework, with summary and data table. */
export function ComplianceChart({ series, title }: { series: Series[]; title: string }) {
  const days = series[0]?.points.map((p) => p.day) ?? [];
  const summary = series
    .map((s) => {
      const known = s.points.filter((p) => p.percent !== null);
      const first = known[0];
      const last = known[known.length - 1];
      if (!first || !last) return `${frameworkName(s.framework)}: no standing in this period`;
      return `${frameworkName(s.framework)}: ${percent(first.percent)} on ${first.day}, ${percent(last.percent)} on ${last.day}`;
    })
    .join('; ');
  return (
    <figure className="chart-figure">
      <figcaption>
        <strong>{title}</strong>
        <span className="muted"> {days.length > 0 ? `${days[0]} to ${days[days.length - 1]}` : ''}</span>
      </figcaption>
      <p className="visually-hidden">{summary}</p>
      <div className="chart-box" aria-hidden="true">
        <Suspense fallback={<p className="muted">Loading chart…</p>}>
          <EChart series={series} />
        </Suspense>
      </div>
      <details>
        <summary>Chart data as a table</summary>
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{title}: values by day</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                {series.map((s) => (
                  <th scope="col" key={s.framework}>
                    {frameworkName(s.framework)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {days
                .map((d, i) => ({ d, i }))
                .filter(({ i }) => series.some((s) => s.points[i]?.percent !== null))
                .reverse()
                .map(({ d, i }) => (
                  <tr key={d}>
                    <th scope="row">{d}</th>
                    {series.map((s) => (
                      <td key={s.framework}>{percent(s.points[i]?.percent)}</td>
                    ))}
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
