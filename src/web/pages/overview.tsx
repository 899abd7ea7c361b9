/**
 * Overview: compliance % per framework now (across repositories or one), the change over seven days, requirements
 * by status, the chart over time, per-repository standing, and what changed since last week.
 */
import { Link } from 'react-router';
import type { Overview } from '../../server/api-schemas.js';
import { api } from '../api/client.js';
import { ComplianceChart, type Series } from '../components/chart.js';
import { DataTable } from '../components/data-table.js';
import { FilterBar, SelectField } from '../components/fields.js';
import { Async, Page } from '../components/page.js';
import { StatusBadge } from '../components/status.js';
import { dateTime, frameworkName, isoDay, percent, STATUS_ORDER, statusLabel } from '../format.js';
import { useApi, useQueryState } from '../hooks.js';

type Framework = Overview['frameworks'][number];

/** `/` */
export function OverviewPage() {
  const [q, setQ] = useQueryState(['repo'] as const);
  const repos = useApi(() => api.repositories(), []);
  const overview = useApi(() => api.overview({ repo: q.repo }), [q.repo]);
  return (
    <Page title="Compliance overview">
      <FilterBar label="Overview scope">
        <SelectField
          label="Repository"
          value={q.repo}
          onChange={(repo) => setQ({ repo })}
          options={[
            ['', 'All repositories'],
            ...(repos.data?.items ?? []).map((r) => [r.name, r.name] as const),
          ]}
        />
      </FilterBar>
      <Async state={overview} what="the overview">
        {(o) =>
          o.frameworks.length === 0 ? (
            <p>
              No run has been recorded yet. Run <code>evident scan</code> in a repository (or push a run from
              CI) and reload.
            </p>
          ) : (
            <>
              <ul className="cards" aria-label="Frameworks">
                {o.frameworks.map((f) => (
                  <FrameworkCard key={f.id} f={f} repo={q.repo} />
                ))}
              </ul>
              <History frameworks={o.frameworks.map((f) => f.id)} repo={q.repo} />
              <PerRepository o={o} />
              <SinceLastWeek o={o} />
            </>
          )
        }
      </Async>
    </Page>
  );
}

function FrameworkCard({ f, repo }: { f: Framework; repo: string }) {
  const delta = f.percentWeekAgo === null ? null : Math.round((f.percent - f.percentWeekAgo) * 10) / 10;
  const total = Object.values(f.requirementsByStatus).reduce((a, n) => a + n, 0);
  const href = `/frameworks/${encodeURIComponent(f.id)}${repo ? `?repo=${encodeURIComponent(repo)}` : ''}`;
  return (
    <li className="card" data-framework={f.id}>
      <h2>
        <Link to={href}>{frameworkName(f.id)}</Link>
      </h2>
      <p className="big" data-testid={`percent-${f.id}`}>
        {percent(f.percent)}
      </p>
      <p className="muted">
        {f.passing} of {f.inScope} requirements in scope pass
        {f.repositories.length > 1 ? ` (pooled over ${f.repositories.length} repositories)` : ''}
      </p>
      <p>
        {delta === null
          ? 'No standing a week ago'
          : delta === 0
            ? 'Unchanged since a week ago'
            : `${delta > 0 ? '▲ up' : '▼ down'} ${Math.abs(delta).toFixed(1)} points since a week ago`}
      </p>
      <StatusBar counts={f.requirementsByStatus} total={total} />
      <ul className="status-counts" aria-label={`${frameworkName(f.id)} requirements by status`}>
        {STATUS_ORDER.filter((s) => f.requirementsByStatus[s]).map((s) => (
          <li key={s}>
            <Link className="count-link" to={`${href}${href.includes('?') ? '&' : '?'}status=${s}`}>
              <StatusBadge status={s} /> {f.requirementsByStatus[s]}
            </Link>
          </li>
        ))}
      </ul>
    </li>
  );
}

/** A stacked bar of requirement statuses (decorative: the counts are listed as text beside it). */
function StatusBar({ counts, total }: { counts: Record<string, number>; total: number }) {
  return (
    <div className="status-bar" aria-hidden="true">
      {STATUS_ORDER.filter((s) => counts[s]).map((s) => (
        <span
          key={s}
          className={`seg status-${s}`}
          style={{ width: `${((counts[s] ?? 0) / Math.max(total, 1)) * 100}%` }}
          title={`${statusLabel(s)}: ${counts[s]}`}
        />
      ))}
    </div>
  );
}

function History({ frameworks, repo }: { frameworks: string[]; repo: string }) {
  const to = isoDay(new Date());
  const from = isoDay(new Date(Date.now() - 89 * 86_400_000));
  const h = useApi(
    () => Promise.all(frameworks.map((f) => api.history(f, { repo, from, to }))),
    [frameworks.join(','), repo],
  );
  return (
    <section aria-labelledby="history-h">
      <h2 id="history-h">Compliance over time</h2>
      <Async state={h} what="the history">
        {(all) => {
          const series: Series[] = all.map((x) => ({
            framework: x.framework,
            points: x.series.map((p) => ({ day: p.day, percent: p.percent })),
          }));
          return <ComplianceChart series={series} title="Compliance % per framework, last 90 days" />;
        }}
      </Async>
    </section>
  );
}

function PerRepository({ o }: { o: Overview }) {
  const ids = o.frameworks.map((f) => f.id);
  const rows = o.repositories.map((r) => ({
    ...r,
    byFw: new Map(o.frameworks.map((f) => [f.id, f.repositories.find((x) => x.repo === r.repo)])),
  }));
  return (
    <section aria-labelledby="repos-h">
      <h2 id="repos-h">By repository</h2>
      <DataTable
        caption="Compliance % per repository (latest run of each)"
        captionHidden
        rowKey={(r) => r.repo}
        rows={rows}
        initialSort={{ key: 'repo', order: 'asc' }}
        columns={[
          {
            key: 'repo',
            header: 'Repository',
            cell: (r) => <Link to={`/?repo=${encodeURIComponent(r.repo)}`}>{r.repo}</Link>,
            sortValue: (r) => r.repo,
          },
          ...ids.map((id) => ({
            key: id,
            header: frameworkName(id),
            className: 'num',
            cell: (r: (typeof rows)[number]) => {
              const x = r.byFw.get(id);
              return x ? `${percent(x.percent)} (${x.passing}/${x.inScope})` : '–';
            },
            sortValue: (r: (typeof rows)[number]) => r.byFw.get(id)?.percent ?? -1,
          })),
          {
            key: 'run',
            header: 'Latest run',
            cell: (r) => <Link to={`/runs/${r.runId}`}>{dateTime(r.recordedAt)}</Link>,
            sortValue: (r) => r.recordedAt,
          },
        ]}
      />
    </section>
  );
}

function SinceLastWeek({ o }: { o: Overview }) {
  const s = o.sinceLastWeek;
  return (
    <section aria-labelledby="week-h">
      <h2 id="week-h">Since last week</h2>
      <p className="muted">Changes since {dateTime(s.since)}.</p>
      <ul className="stats">
        <li>
          <Link to="/findings?status=all&maxAgeDays=7">
            <span className="big">{s.findingsOpened}</span> findings opened
          </Link>
        </li>
        <li>
          <span className="big">{s.findingsResolved}</span> findings resolved
        </li>
        <li>
          <span className="big">{s.controlChanges.length}</span> controls changed status
        </li>
      </ul>
      {s.controlChanges.length > 0 ? (
        <DataTable
          caption="Controls whose status changed since last week"
          rowKey={(c) => `${c.repo}/${c.controlId}`}
          rows={s.controlChanges}
          columns={[
            { key: 'repo', header: 'Repository', cell: (c) => c.repo, sortValue: (c) => c.repo },
            {
              key: 'control',
              header: 'Control',
              cell: (c) => (
                <Link to={`/controls/${encodeURIComponent(c.controlId)}?repo=${encodeURIComponent(c.repo)}`}>
                  {c.controlId}
                </Link>
              ),
              sortValue: (c) => c.controlId,
            },
            { key: 'from', header: 'Was', cell: (c) => <StatusBadge status={c.from} /> },
            { key: 'to', header: 'Now', cell: (c) => <StatusBadge status={c.to} /> },
          ]}
        />
      ) : null}
    </section>
  );
}
