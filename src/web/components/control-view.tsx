/** One control as recorded in a run: status, reason, manual evidence, checks and the open findings behind them. */
import { Link } from 'react-router';
import type { ControlOfRun } from '../../server/api-schemas.js';
import { dateTime, fileLine } from '../format.js';
import { DataTable } from './data-table.js';
import { SeverityBadge, StatusBadge } from './status.js';

/** A control of repository `repo`'s run; `headingLevel` 3 inside a repository section. */
export function ControlView({
  control,
  repo,
  level = 3,
}: {
  control: ControlOfRun;
  repo: string;
  level?: 2 | 3;
}) {
  const H = level === 2 ? 'h2' : 'h3';
  const enc = encodeURIComponent;
  return (
    <article className="control" aria-label={`Control ${control.id}`}>
      <H>
        <Link to={`/controls/${enc(control.id)}?repo=${enc(repo)}`}>{control.id}</Link> {control.title}{' '}
        <StatusBadge status={control.status} />
      </H>
      <p className="muted">{control.reason}</p>
      {control.evidence ? (
        <p>
          Manual evidence <code>{control.evidence.path}</code>:{' '}
          {control.evidence.collectedAt ? `collected ${dateTime(control.evidence.collectedAt)}, ` : ''}
          {control.evidence.reason}
        </p>
      ) : null}
      <ul className="checks" aria-label={`Checks of ${control.id}`}>
        {control.checks.map((k) => (
          <li key={k.id}>
            <div className="check-head">
              <code>{k.id}</code> <StatusBadge status={k.outcome} />
            </div>
            {k.findings.length > 0 ? (
              <DataTable
                caption={`Findings of ${k.id}`}
                captionHidden
                rows={k.findings}
                rowKey={(f) => f.fingerprint}
                columns={[
                  { key: 'sev', header: 'Severity', cell: (f) => <SeverityBadge severity={f.severity} /> },
                  { key: 'resource', header: 'Resource', cell: (f) => <code>{f.resource}</code> },
                  {
                    key: 'loc',
                    header: 'File:line',
                    cell: (f) => (
                      <Link to={`/findings/${enc(repo)}/${f.fingerprint}`} className="mono">
                        {fileLine(f.file, f.line)}
                      </Link>
                    ),
                  },
                  { key: 'msg', header: 'Message', cell: (f) => f.message },
                  {
                    key: 'outcome',
                    header: 'Outcome',
                    cell: (f) => <StatusBadge status={f.waived ? 'waived' : f.outcome} />,
                  },
                ]}
              />
            ) : null}
          </li>
        ))}
      </ul>
    </article>
  );
}
