/** Drill-down: a requirement → per repository its controls → checks → open findings (resource, file:line). */
import { Link, useParams } from 'react-router';
import { api } from '../api/client.js';
import { ControlView } from '../components/control-view.js';
import { Async, Page } from '../components/page.js';
import { StatusBadge } from '../components/status.js';
import { dateTime, frameworkName } from '../format.js';
import { useApi, useQueryState } from '../hooks.js';

/** `/frameworks/:framework/requirements/:requirement` */
export function RequirementPage() {
  const { framework = '', requirement = '' } = useParams();
  const [q] = useQueryState(['repo'] as const);
  const d = useApi(
    () => api.requirement(framework, requirement, { repo: q.repo }),
    [framework, requirement, q.repo],
  );
  const enc = encodeURIComponent;
  return (
    <Page
      title={`${frameworkName(framework)} ${requirement}`}
      crumbs={
        <>
          <Link to="/">Overview</Link> ›{' '}
          <Link to={`/frameworks/${enc(framework)}${q.repo ? `?repo=${enc(q.repo)}` : ''}`}>
            {frameworkName(framework)}
          </Link>{' '}
          › {requirement}
        </>
      }
    >
      <Async state={d} what="the requirement">
        {(r) => (
          <>
            <p className="lead">
              {r.requirement.title} <StatusBadge status={r.requirement.status} />
            </p>
            <p className="muted">{r.requirement.family}</p>
            {r.repositories.map((p) => (
              <section key={p.repo} className="repo-section" aria-labelledby={`repo-${p.runId}`}>
                <h2 id={`repo-${p.runId}`}>
                  {p.repo} <StatusBadge status={p.status} />
                </h2>
                <p>
                  {p.reason}. Latest run: <Link to={`/runs/${p.runId}`}>{dateTime(p.recordedAt)}</Link>
                </p>
                {p.controls.length === 0 ? (
                  <p className="muted">
                    No control in this repository's control map covers this requirement.
                  </p>
                ) : (
                  p.controls.map((c) => <ControlView key={c.id} control={c} repo={p.repo} />)
                )}
              </section>
            ))}
          </>
        )}
      </Async>
    </Page>
  );
}
