/** A framework: its chart over time and its requirements with their status, filterable and sortable. */
import { Link, useParams } from 'react-router';
import { api } from '../api/client.js';
import { ComplianceChart } from '../components/chart.js';
import { DataTable } from '../components/data-table.js';
import { FilterBar, SelectField } from '../components/fields.js';
import { Async, Page } from '../components/page.js';
import { StatusBadge } from '../components/status.js';
import { frameworkName, isoDay, STATUS_ORDER, statusLabel } from '../format.js';
import { useApi, useQueryState } from '../hooks.js';

const rank = (s: string) => {
  const i = (STATUS_ORDER as readonly string[]).indexOf(s);
  return i < 0 ? 99 : i;
};

/** `/frameworks/:framework` */
export function FrameworkPage() {
  const { framework = '' } = useParams();
  const [q, setQ] = useQueryState(['repo', 'status'] as const);
  const repos = useApi(() => api.repositories(), []);
  const reqs = useApi(
    () => api.requirements(framework, { repo: q.repo, status: q.status }),
    [framework, q.repo, q.status],
  );
  const to = isoDay(new Date());
  const from = isoDay(new Date(Date.now() - 89 * 86_400_000));
  const hist = useApi(() => api.history(framework, { repo: q.repo, from, to }), [framework, q.repo]);
  const enc = encodeURIComponent;
  return (
    <Page
      title={`${frameworkName(framework)} requirements`}
      crumbs={
        <>
          <Link to="/">Overview</Link> › {frameworkName(framework)}
        </>
      }
    >
      <FilterBar label="Requirement filters">
        <SelectField
          label="Repository"
          value={q.repo}
          onChange={(repo) => setQ({ repo })}
          options={[
            ['', 'All repositories'],
            ...(repos.data?.items ?? []).map((r) => [r.name, r.name] as const),
          ]}
        />
        <SelectField
          label="Status"
          value={q.status}
          onChange={(status) => setQ({ status })}
          options={[['', 'Any status'], ...STATUS_ORDER.map((s) => [s, statusLabel(s)] as const)]}
        />
      </FilterBar>
      <Async state={hist} what="the history">
        {(h) => (
          <ComplianceChart
            title={`${frameworkName(framework)} compliance %, last 90 days`}
            series={[{ framework, points: h.series.map((p) => ({ day: p.day, percent: p.percent })) }]}
          />
        )}
      </Async>
      <Async state={reqs} what="the requirements">
        {(r) => (
          <DataTable
            caption={`${r.items.length} requirements${q.status ? ` with status ${statusLabel(q.status)}` : ''}`}
            rows={r.items}
            rowKey={(x) => x.id}
            initialSort={{ key: 'status', order: 'asc' }}
            columns={[
              {
                key: 'id',
                header: 'Requirement',
                cell: (x) => (
                  <Link
                    to={`/frameworks/${enc(framework)}/requirements/${enc(x.id)}${q.repo ? `?repo=${enc(q.repo)}` : ''}`}
                  >
                    {x.id}
                  </Link>
                ),
                sortValue: (x) => x.id,
              },
              { key: 'title', header: 'Title', cell: (x) => x.title, sortValue: (x) => x.title },
              { key: 'family', header: 'Family', cell: (x) => x.family, sortValue: (x) => x.family },
              {
                key: 'status',
                header: 'Status',
                cell: (x) => <StatusBadge status={x.status} />,
                sortValue: (x) => rank(x.status),
              },
              {
                key: 'repos',
                header: 'Repositories',
                cell: (x) =>
                  x.repositories.length === 1
                    ? x.repositories[0]!.reason
                    : `${x.repositories.filter((p) => p.status === 'fail').length} of ${x.repositories.length} failing`,
              },
            ]}
          />
        )}
      </Async>
    </Page>
  );
}
