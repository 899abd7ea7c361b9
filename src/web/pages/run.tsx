/** One run: where it is in the evidence log (envelope digest, entry), the verify action, its frameworks and controls. */
import { Link, useParams } from 'react-router';
import { api } from '../api/client.js';
import { DataTable } from '../components/data-table.js';
import { Async, Page } from '../components/page.js';
import { StatusBadge } from '../components/status.js';
import { VerifyInclusion } from '../components/verify-inclusion.js';
import { dateTime, frameworkName, percent } from '../format.js';
import { useApi } from '../hooks.js';

/** `/runs/:id` */
export function RunPage() {
  const id = Number(useParams().id);
  const d = useApi(() => api.run(id), [id]);
  return (
    <Page
      title={`Run ${id}`}
      crumbs={
        <>
          <Link to="/runs">Runs</Link> › Run {id}
        </>
      }
    >
      <Async state={d} what="the run">
        {({ run, frameworks, controls }) => (
          <>
            <dl className="facts">
              <dt>Repository</dt>
              <dd>{run.repo}</dd>
              <dt>Recorded</dt>
              <dd>{dateTime(run.recordedAt)}</dd>
              <dt>Run id</dt>
              <dd className="mono">{run.runUuid}</dd>
              <dt>Commit</dt>
              <dd className="mono">{run.commit ?? '–'}</dd>
              {run.ref ? (
                <>
                  <dt>Ref</dt>
                  <dd className="mono">{run.ref}</dd>
                </>
              ) : null}
              {run.ciUrl ? (
                <>
                  <dt>CI job</dt>
                  <dd>{run.ciUrl}</dd>
                </>
              ) : null}
              <dt>Exit code</dt>
              <dd>{run.exitCode}</dd>
              <dt>Failing findings</dt>
              <dd>
                <Link to={`/findings?repo=${encodeURIComponent(run.repo)}`}>
                  {run.failing} of {run.findingsTotal}
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
            <section aria-labelledby="fw-h">
              <h2 id="fw-h">Frameworks in this run</h2>
              <DataTable
                caption="Framework standing recorded by this run"
                captionHidden
                rows={frameworks}
                rowKey={(f) => f.framework}
                columns={[
                  {
                    key: 'fw',
                    header: 'Framework',
                    cell: (f) => frameworkName(f.framework),
                    sortValue: (f) => f.framework,
                  },
                  {
                    key: 'pct',
                    header: 'Compliance',
                    cell: (f) => percent(f.percent),
                    className: 'num',
                    sortValue: (f) => f.percent,
                  },
                  {
                    key: 'pass',
                    header: 'Passing / in scope',
                    cell: (f) => `${f.passing} / ${f.inScope}`,
                    className: 'num',
                  },
                ]}
              />
            </section>
            <section aria-labelledby="ctl-h">
              <h2 id="ctl-h">Controls in this run</h2>
              <DataTable
                caption="Controls recorded by this run"
                captionHidden
                rows={controls}
                rowKey={(c) => c.controlId}
                initialSort={{ key: 'id', order: 'asc' }}
                columns={[
                  {
                    key: 'id',
                    header: 'Control',
                    cell: (c) => (
                      <Link
                        to={`/controls/${encodeURIComponent(c.controlId)}?repo=${encodeURIComponent(run.repo)}`}
                      >
                        {c.controlId}
                      </Link>
                    ),
                    sortValue: (c) => c.controlId,
                  },
                  { key: 'title', header: 'Title', cell: (c) => c.title },
                  {
                    key: 'status',
                    header: 'Status',
                    cell: (c) => <StatusBadge status={c.status} />,
                    sortValue: (c) => c.status,
                  },
                  { key: 'reason', header: 'Reason', cell: (c) => c.reason },
                ]}
              />
            </section>
          </>
        )}
      </Async>
    </Page>
  );
}
