/** Runs list: filter by repository and period, server-side sort, pages. */
import { Link } from 'react-router';
import { api } from '../api/client.js';
import { DataTable, Pager } from '../components/data-table.js';
import { FilterBar, InputField, SelectField } from '../components/fields.js';
import { Async, Page } from '../components/page.js';
import { dateTime, shortDigest } from '../format.js';
import { useApi, useQueryState } from '../hooks.js';

const LIMIT = 50;

/** `/runs` */
export function RunsPage() {
  const [q, setQ] = useQueryState(['repo', 'from', 'to', 'sort', 'order', 'offset'] as const);
  const repos = useApi(() => api.repositories(), []);
  const sort = q.sort || 'recordedAt';
  const order = (q.order || 'desc') as 'asc' | 'desc';
  const offset = Number(q.offset) || 0;
  const from = q.from ? `${q.from}T00:00:00Z` : undefined;
  const to = q.to ? `${q.to}T23:59:59.999Z` : undefined;
  const list = useApi(
    () => api.runs({ repo: q.repo, from, to, sort, order, limit: LIMIT, offset }),
    [q.repo, from, to, sort, order, offset],
  );
  return (
    <Page title="Runs">
      <FilterBar label="Run filters">
        <SelectField
          label="Repository"
          value={q.repo}
          onChange={(repo) => setQ({ repo, offset: '' })}
          options={[
            ['', 'All repositories'],
            ...(repos.data?.items ?? []).map((r) => [r.name, r.name] as const),
          ]}
        />
        <InputField label="From" type="date" value={q.from} onChange={(v) => setQ({ from: v, offset: '' })} />
        <InputField label="To" type="date" value={q.to} onChange={(v) => setQ({ to: v, offset: '' })} />
      </FilterBar>
      <Async state={list} what="the runs">
        {(r) => (
          <>
            <DataTable
              caption={`${r.total} runs`}
              rows={r.items}
              rowKey={(x) => String(x.id)}
              sort={sort}
              order={order}
              onSort={(s, o) => setQ({ sort: s, order: o, offset: '' })}
              columns={[
                {
                  key: 'rec',
                  header: 'Recorded',
                  serverSort: 'recordedAt',
                  cell: (x) => <Link to={`/runs/${x.id}`}>{dateTime(x.recordedAt)}</Link>,
                },
                { key: 'repo', header: 'Repository', serverSort: 'repository', cell: (x) => x.repo },
                {
                  key: 'commit',
                  header: 'Commit',
                  cell: (x) => <span className="mono">{x.commit?.slice(0, 10) ?? '–'}</span>,
                },
                {
                  key: 'failing',
                  header: 'Failing',
                  serverSort: 'failing',
                  className: 'num',
                  cell: (x) => x.failing,
                },
                { key: 'total', header: 'Findings', className: 'num', cell: (x) => x.findingsTotal },
                {
                  key: 'env',
                  header: 'Envelope',
                  cell: (x) => (
                    <span className="mono" title={x.envelopeSha256}>
                      {shortDigest(x.envelopeSha256)}
                    </span>
                  ),
                },
                { key: 'log', header: 'Log entry', cell: (x) => `${x.source} #${x.logIndex}` },
              ]}
            />
            <Pager
              label="Runs"
              total={r.total}
              limit={LIMIT}
              offset={offset}
              onPage={(o) => setQ({ offset: String(o) })}
            />
          </>
        )}
      </Async>
    </Page>
  );
}
