/** One finding: where it is (resource, file:line, message), its lifecycle, and the run and envelope that recorded it. */
import { Link, useParams } from 'react-router';
import { api } from '../api/client.js';
import { DataTable } from '../components/data-table.js';
import { Async, Page } from '../components/page.js';
import { SeverityBadge, StatusBadge } from '../components/status.js';
import { VerifyInclusion } from '../components/verify-inclusion.js';
import { dateTime, fileLine } from '../format.js';
import { useApi } from '../hooks.js';

/** `/findings/:repo/:fingerprint` */
export function FindingPage() {
  const { repo = '', fingerprint = '' } = useParams();
  const d = useApi(() => api.finding(repo, fingerprint), [repo, fingerprint]);
  return (
    <Page
      title="Finding"
      crumbs={
        <>
          <Link to="/findings">Findings</Link> › {repo} ›{' '}
          <span className="mono">{fingerprint.slice(0, 12)}</span>
        </>
      }
    >
      <Async state={d} what="the finding">
        {({ finding: f, history, lastSeenRun: run }) => (
          <>
            <dl className="facts" data-testid="finding-facts">
              <dt>Check</dt>
              <dd>
                <code>{f.checkId}</code>
              </dd>
              <dt>Resource</dt>
              <dd>
                <code>{f.resource}</code>
              </dd>
              <dt>File:line</dt>
              <dd className="mono" data-testid="finding-location">
                {fileLine(f.file, f.line)}
              </dd>
              <dt>Message</dt>
              <dd>{f.message}</dd>
              <dt>Severity</dt>
              <dd>
                <SeverityBadge severity={f.severity} />
              </dd>
              <dt>Status</dt>
              <dd>
                <StatusBadge status={f.resolvedAt ? 'resolved' : 'open'} />{' '}
                {f.waived ? <StatusBadge status="waived" /> : null}
              </dd>
              <dt>Repository</dt>
              <dd>{f.repo}</dd>
              <dt>First seen</dt>
              <dd>{dateTime(f.firstSeenAt)}</dd>
              <dt>Last seen</dt>
              <dd>
                <Link to={`/runs/${f.lastSeenRunId}`}>{dateTime(f.lastSeenAt)}</Link>
              </dd>
              <dt>Resolved</dt>
              <dd>
                {f.resolvedRunId ? (
                  <Link to={`/runs/${f.resolvedRunId}`}>{dateTime(f.resolvedAt)}</Link>
                ) : (
                  'not resolved'
                )}
              </dd>
              <dt>Fingerprint</dt>
              <dd className="mono">{f.fingerprint}</dd>
            </dl>
            {run ? (
              <section aria-labelledby="recorded-h">
                <h2 id="recorded-h">Recorded by</h2>
                <dl className="facts">
                  <dt>Run</dt>
                  <dd>
                    <Link to={`/runs/${run.id}`}>
                      run {run.id} of {dateTime(run.recordedAt)}
                    </Link>
                  </dd>
                  <dt>Envelope SHA-256</dt>
                  <dd className="mono" data-testid="envelope-digest">
                    {run.envelopeSha256}
                  </dd>
                  <dt>Log entry</dt>
                  <dd>
                    {run.source} log, index {run.logIndex}
                  </dd>
                  <dt>Signing key</dt>
                  <dd className="mono">{run.keyId ?? 'unsigned'}</dd>
                </dl>
                <VerifyInclusion entryId={run.entryId} />
              </section>
            ) : null}
            <section aria-labelledby="history-h">
              <h2 id="history-h">Runs that reported it</h2>
              <DataTable
                caption="Runs that reported this finding, newest first"
                captionHidden
                rows={history}
                rowKey={(h) => String(h.runId)}
                columns={[
                  {
                    key: 'run',
                    header: 'Run',
                    cell: (h) => <Link to={`/runs/${h.runId}`}>{dateTime(h.recordedAt)}</Link>,
                  },
                  {
                    key: 'outcome',
                    header: 'Outcome',
                    cell: (h) => <StatusBadge status={h.waived ? 'waived' : h.outcome} />,
                  },
                  { key: 'line', header: 'Line', cell: (h) => h.line ?? '–', className: 'num' },
                ]}
              />
            </section>
          </>
        )}
      </Async>
    </Page>
  );
}
