/** A control in each repository (or one): status, checks and the open findings behind them. */
import { Link, useParams } from 'react-router';
import { api } from '../api/client.js';
import { ControlView } from '../components/control-view.js';
import { Async, Page } from '../components/page.js';
import { dateTime } from '../format.js';
import { useApi, useQueryState } from '../hooks.js';

/** `/controls/:control` */
export function ControlPage() {
  const { control = '' } = useParams();
  const [q] = useQueryState(['repo'] as const);
  const d = useApi(() => api.control(control, { repo: q.repo }), [control, q.repo]);
  return (
    <Page
      title={`Control ${control}`}
      crumbs={
        <>
          <Link to="/">Overview</Link> › Control {control}
        </>
      }
    >
      <Async state={d} what="the control">
        {(c) =>
          c.repositories.map((p) => (
            <section key={p.repo} className="repo-section" aria-labelledby={`ctl-${p.runId}`}>
              <h2 id={`ctl-${p.runId}`}>{p.repo}</h2>
              <p>
                Latest run: <Link to={`/runs/${p.runId}`}>{dateTime(p.recordedAt)}</Link>
              </p>
              <ControlView control={p.control} repo={p.repo} />
            </section>
          ))
        }
      </Async>
    </Page>
  );
}
