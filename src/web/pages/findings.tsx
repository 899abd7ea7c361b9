/** Findings list: filters (repository, framework, control, check, severity, status, age), server-side sort, pages. */
import { Link } from 'react-router';
import { api } from '../api/client.js';
import { DataTable, Pager } from '../components/data-table.js';
import { FilterBar, InputField, SelectField } from '../components/fields.js';
import { Async, Page } from '../components/page.js';
import { SeverityBadge, StatusBadge } from '../components/status.js';
import { day, fileLine, frameworkName, SEVERITIES } from '../format.js';
import { useApi, useQueryState } from '../hooks.js';

const KEYS = [
  'repo',
  'framework',
  'control',
  'check',
  'severity',
  'status',
  'minAgeDays',
  'maxAgeDays',
  'sort',
  'order',
  'offset',
] as const;
const LIMIT = 50;
const FRAMEWORKS = ['soc2', 'iso27001-2022', 'hipaa', 'gdpr'];

/** `/findings` */
export function FindingsPage() {
  const [q, setQ] = useQueryState(KEYS);
  const repos = useApi(() => api.repositories(), []);
  const status = q.status || 'open';
  const sort = q.sort || 'severity';
  const order = (q.order || (sort === 'severity' ? 'asc' : 'desc')) as 'asc' | 'desc';
  const offset = Number(q.offset) || 0;
  const list = useApi(
    () =>
      api.findings({
        repo: q.repo,
        framework: q.framework,
        control: q.control,
        check: q.check,
        severity: q.severity,
        status,
        minAgeDays: q.minAgeDays,
        maxAgeDays: q.maxAgeDays,
        sort,
        order,
        limit: LIMIT,
        offset,
      }),
    [
      q.repo,
      q.framework,
      q.control,
      q.check,
      q.severity,
      status,
      q.minAgeDays,
      q.maxAgeDays,
      sort,
      order,
      offset,
    ],
  );
  const filter = (patch: Partial<Record<(typeof KEYS)[number], string>>) => setQ({ ...patch, offset: '' });
  const enc = encodeURIComponent;
  return (
    <Page title="Findings">
      <FilterBar label="Finding filters">
        <SelectField
          label="Status"
          value={status}
          onChange={(v) => filter({ status: v })}
          options={[
            ['open', 'Open'],
            ['resolved', 'Resolved'],
            ['all', 'All'],
          ]}
        />
        <SelectField
          label="Repository"
          value={q.repo}
          onChange={(v) => filter({ repo: v })}
          options={[
            ['', 'All repositories'],
            ...(repos.data?.items ?? []).map((r) => [r.name, r.name] as const),
          ]}
        />
        <SelectField
          label="Framework"
          value={q.framework}
          onChange={(v) => filter({ framework: v })}
          options={[['', 'Any framework'], ...FRAMEWORKS.map((f) => [f, frameworkName(f)] as const)]}
        />
        <SelectField
          label="Severity"
          value={q.severity}
          onChange={(v) => filter({ severity: v })}
          options={[
            ['', 'Any severity'],
            ['critical,high', 'Critical and high'],
            ...SEVERITIES.map((s) => [s, s[0]!.toUpperCase() + s.slice(1)] as const),
          ]}
        />
        <InputField
          label="Control"
          value={q.control}
          onChange={(v) => filter({ control: v })}
          hint="e.g. ENC-1"
        />
        <InputField label="Check" value={q.check} onChange={(v) => filter({ check: v })} hint="check id" />
        <InputField
          label="Open at least (days)"
          type="number"
          min={0}
          value={q.minAgeDays}
          onChange={(v) => filter({ minAgeDays: v })}
        />
        <InputField
          label="Open at most (days)"
          type="number"
          min={0}
          value={q.maxAgeDays}
          onChange={(v) => filter({ maxAgeDays: v })}
        />
      </FilterBar>
      <Async state={list} what="the findings">
        {(r) => (
          <>
            <DataTable
              caption={`${r.total} ${status === 'all' ? '' : `${status} `}findings`}
              rows={r.items}
              rowKey={(f) => `${f.repo}/${f.fingerprint}`}
              sort={sort}
              order={order}
              onSort={(s, o) => setQ({ sort: s, order: o, offset: '' })}
              columns={[
                {
                  key: 'sev',
                  header: 'Severity',
                  serverSort: 'severity',
                  cell: (f) => <SeverityBadge severity={f.severity} />,
                },
                { key: 'check', header: 'Check', serverSort: 'check', cell: (f) => <code>{f.checkId}</code> },
                {
                  key: 'resource',
                  header: 'Resource',
                  serverSort: 'resource',
                  cell: (f) => <code>{f.resource}</code>,
                },
                {
                  key: 'loc',
                  header: 'File:line',
                  cell: (f) => (
                    <Link className="mono" to={`/findings/${enc(f.repo)}/${f.fingerprint}`}>
                      {fileLine(f.file, f.line)}
                    </Link>
                  ),
                },
                { key: 'msg', header: 'Message', cell: (f) => f.message },
                { key: 'repo', header: 'Repository', serverSort: 'repository', cell: (f) => f.repo },
                {
                  key: 'first',
                  header: 'First seen',
                  serverSort: 'firstSeen',
                  cell: (f) => `${day(f.firstSeenAt)} (${f.ageDays} d)`,
                },
                {
                  key: 'status',
                  header: 'Status',
                  cell: (f) => (
                    <StatusBadge status={f.resolvedAt ? 'resolved' : f.waived ? 'waived' : 'open'} />
                  ),
                },
              ]}
            />
            <Pager
              label="Findings"
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
