/** Waivers (expiring soon first), manual evidence (fresh, stale, missing) and alerts. */
import { Link } from 'react-router';
import { api } from '../api/client.js';
import { DataTable } from '../components/data-table.js';
import { FilterBar, SelectField } from '../components/fields.js';
import { Async, Page } from '../components/page.js';
import { StatusBadge } from '../components/status.js';
import { dateTime, day, shortDigest } from '../format.js';
import { useApi, useQueryState } from '../hooks.js';

function useRepoOptions() {
  const repos = useApi(() => api.repositories(), []);
  return [
    ['', 'All repositories'],
    ...(repos.data?.items ?? []).map((r) => [r.name, r.name] as const),
  ] as const;
}

/** `/waivers` */
export function WaiversPage() {
  const [q, setQ] = useQueryState(['repo', 'within'] as const);
  const repoOptions = useRepoOptions();
  const list = useApi(
    () => api.waivers({ repo: q.repo, expiringWithinDays: q.within || undefined }),
    [q.repo, q.within],
  );
  return (
    <Page title="Waivers">
      <FilterBar label="Waiver filters">
        <SelectField
          label="Repository"
          value={q.repo}
          onChange={(repo) => setQ({ repo })}
          options={repoOptions}
        />
        <SelectField
          label="Expiring"
          value={q.within}
          onChange={(within) => setQ({ within })}
          options={[
            ['', 'Any time'],
            ['0', 'Expired or expiring today'],
            ['14', 'Within 14 days'],
            ['30', 'Within 30 days'],
            ['90', 'Within 90 days'],
          ]}
        />
      </FilterBar>
      <Async state={list} what="the waivers">
        {(r) => (
          <DataTable
            caption={`${r.items.length} waivers, soonest expiry first`}
            rows={r.items}
            rowKey={(w) => `${w.repo}/${w.checkId}/${w.resource}`}
            initialSort={{ key: 'expires', order: 'asc' }}
            columns={[
              { key: 'expires', header: 'Expires', cell: (w) => w.expires, sortValue: (w) => w.expires },
              {
                key: 'left',
                header: 'Days left',
                className: 'num',
                cell: (w) =>
                  w.daysLeft === null ? '–' : w.daysLeft < 0 ? `expired ${-w.daysLeft} d ago` : w.daysLeft,
                sortValue: (w) => w.daysLeft ?? 1e9,
              },
              { key: 'repo', header: 'Repository', cell: (w) => w.repo, sortValue: (w) => w.repo },
              {
                key: 'check',
                header: 'Check',
                cell: (w) => <code>{w.checkId}</code>,
                sortValue: (w) => w.checkId,
              },
              { key: 'resource', header: 'Resource', cell: (w) => <code>{w.resource}</code> },
              { key: 'owner', header: 'Owner', cell: (w) => w.owner, sortValue: (w) => w.owner },
              { key: 'reason', header: 'Reason', cell: (w) => w.reason },
            ]}
          />
        )}
      </Async>
    </Page>
  );
}

/** `/evidence` */
export function EvidencePage() {
  const [q, setQ] = useQueryState(['repo', 'status'] as const);
  const repoOptions = useRepoOptions();
  const list = useApi(() => api.evidence({ repo: q.repo, status: q.status }), [q.repo, q.status]);
  return (
    <Page title="Manual evidence">
      <FilterBar label="Evidence filters">
        <SelectField
          label="Repository"
          value={q.repo}
          onChange={(repo) => setQ({ repo })}
          options={repoOptions}
        />
        <SelectField
          label="Freshness"
          value={q.status}
          onChange={(status) => setQ({ status })}
          options={[
            ['', 'Any'],
            ['fresh', 'Fresh'],
            ['stale', 'Stale'],
            ['missing', 'Missing'],
          ]}
        />
      </FilterBar>
      <Async state={list} what="the manual evidence">
        {(r) => (
          <DataTable
            caption={`${r.items.length} manual evidence documents`}
            rows={r.items}
            rowKey={(e) => `${e.repo}/${e.controlId}/${e.path}`}
            initialSort={{ key: 'due', order: 'asc' }}
            columns={[
              {
                key: 'status',
                header: 'Status',
                cell: (e) => <StatusBadge status={e.status} />,
                sortValue: (e) => e.status,
              },
              {
                key: 'control',
                header: 'Control',
                cell: (e) => (
                  <Link
                    to={`/controls/${encodeURIComponent(e.controlId)}?repo=${encodeURIComponent(e.repo)}`}
                  >
                    {e.controlId}
                  </Link>
                ),
                sortValue: (e) => e.controlId,
              },
              { key: 'repo', header: 'Repository', cell: (e) => e.repo, sortValue: (e) => e.repo },
              { key: 'path', header: 'Document', cell: (e) => <code>{e.path}</code> },
              {
                key: 'collected',
                header: 'Collected',
                cell: (e) => day(e.collectedAt),
                sortValue: (e) => e.collectedAt ?? '',
              },
              {
                key: 'due',
                header: 'Due',
                cell: (e) => (e.dueAt ? `${day(e.dueAt)} (${e.daysLeft} d)` : 'now'),
                sortValue: (e) => e.daysLeft ?? -1e9,
              },
              {
                key: 'sha',
                header: 'SHA-256',
                cell: (e) =>
                  e.sha256 ? (
                    <span className="mono" title={e.sha256}>
                      {shortDigest(e.sha256)}
                    </span>
                  ) : (
                    '–'
                  ),
              },
            ]}
          />
        )}
      </Async>
    </Page>
  );
}

const ALERT_KINDS = ['control-regressed', 'waiver-expiring', 'evidence-expiring', 'sla-due'];

/** `/alerts` (staff) */
export function AlertsPage() {
  const [q, setQ] = useQueryState(['kind'] as const);
  const list = useApi(() => api.alerts({ kind: q.kind, limit: 200 }), [q.kind]);
  return (
    <Page title="Alerts">
      <FilterBar label="Alert filters">
        <SelectField
          label="Kind"
          value={q.kind}
          onChange={(kind) => setQ({ kind })}
          options={[['', 'All kinds'], ...ALERT_KINDS.map((k) => [k, k] as const)]}
        />
      </FilterBar>
      <Async state={list} what="the alerts">
        {(r) => (
          <DataTable
            caption={`${r.items.length} alerts, newest first`}
            rows={r.items}
            rowKey={(a) => String(a.id)}
            columns={[
              {
                key: 'at',
                header: 'Raised',
                cell: (a) => dateTime(a.createdAt),
                sortValue: (a) => a.createdAt,
              },
              { key: 'kind', header: 'Kind', cell: (a) => a.kind, sortValue: (a) => a.kind },
              { key: 'subject', header: 'Subject', cell: (a) => a.subject, sortValue: (a) => a.subject },
              { key: 'message', header: 'Message', cell: (a) => a.message },
              {
                key: 'deliveries',
                header: 'Deliveries',
                cell: (a) =>
                  a.deliveries.length === 0
                    ? 'no webhook'
                    : a.deliveries
                        .map(
                          (d) =>
                            `${d.webhook}: ${d.status}${d.attempts > 1 ? ` after ${d.attempts} attempts` : ''}`,
                        )
                        .join('; '),
              },
            ]}
          />
        )}
      </Async>
    </Page>
  );
}
