import type { Finding } from '../../core/finding.js';
import type { ControlStatus } from '../../core/scan-result.js';
import {
  type BundleModel,
  type BundleRun,
  formatMappings,
  frameworksOf,
  latestRun,
  periodPopulation,
} from './period-model.js';

/** Escapes text for HTML element content and double-quoted attribute values (& < > " '). */
export function escapeHtml(value: string | number | undefined): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ccd;padding:.25rem .5rem;text-align:left;vertical-align:top}
code{font-size:12px;word-break:break-all}.s-pass{color:#116329}.s-fail{color:#b42318}.s-unknown,.s-manual{color:#8a5a00}
.s-waived,.s-not-applicable{color:#555}details{margin-left:1.25rem}summary{cursor:pointer}`;

function status(s: string): string {
  return `<span class="s-${escapeHtml(s)}">${escapeHtml(s)}</span>`;
}

function runRef(run: BundleRun): string {
  return `run #${run.index}, envelope sha256 <code>${escapeHtml(run.envelopeSha256)}</code>`;
}

/**
 * Renders `report/index.html`: a self-contained page (inline CSS, no scripts, no external assets, every value
 * HTML-escaped). Sections: the period and log checkpoint; a summary per framework (% and counts) from the
 * latest run of the period; the drill-down framework → requirement → control → check → findings, each status
 * with the evidence behind it (log index + envelope sha256 of the run that produced it, manual evidence
 * digests); and the population of runs in the period (index, time, commit, CI run URL, result, envelope digest).
 * Deterministic: the same model gives the same bytes.
 */
export function renderHtmlReport(model: BundleModel): string {
  const out: string[] = [];
  const title = `Evident audit bundle ${model.period.from} to ${model.period.to}${model.framework ? ` (${model.framework})` : ''}`;
  out.push('<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">');
  out.push(
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
  );
  out.push(`<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>`);
  out.push(`<h1>${escapeHtml(title)}</h1>`);
  out.push('<table>');
  out.push(
    `<tr><th>Period (UTC, inclusive)</th><td>${escapeHtml(model.period.from)} – ${escapeHtml(model.period.to)}</td></tr>`,
  );
  out.push(`<tr><th>Bundle created</th><td>${escapeHtml(model.createdAt)}</td></tr>`);
  out.push(`<tr><th>Log origin</th><td>${escapeHtml(model.log.origin)}</td></tr>`);
  out.push(`<tr><th>Checkpoint tree size</th><td>${escapeHtml(model.log.treeSize)}</td></tr>`);
  out.push(`<tr><th>Checkpoint root hash</th><td><code>${escapeHtml(model.log.rootHash)}</code></td></tr>`);
  out.push(`<tr><th>Signing key</th><td><code>${escapeHtml(model.key.keyId)}</code></td></tr>`);
  out.push(`<tr><th>Runs in period</th><td>${model.runs.length}</td></tr>`);
  out.push(`<tr><th>Manual evidence in period</th><td>${model.manual.length}</td></tr>`);
  out.push('</table>');

  const latest = latestRun(model);
  if (!latest) {
    out.push('<p>No scan run was recorded in this period: no framework standing can be stated.</p>');
  } else {
    out.push(`<h2>Standing at the end of the period</h2>`);
    out.push(
      `<p>From the latest run in the period: ${runRef(latest)}, recorded ${escapeHtml(latest.recordedAt)}.</p>`,
    );
    const fws = frameworksOf(model, latest);
    out.push('<table><tr><th>Framework</th><th>Compliance</th><th>Passing / in scope</th>');
    out.push(
      '<th>pass</th><th>fail</th><th>unknown</th><th>manual</th><th>waived</th><th>not-applicable</th></tr>',
    );
    for (const fw of fws) {
      const c = fw.counts;
      out.push(
        `<tr><td>${escapeHtml(fw.name)} (${escapeHtml(fw.id)})</td><td>${escapeHtml(fw.compliancePercent.toFixed(1))}%</td>` +
          `<td>${fw.passing} / ${fw.inScope}</td><td>${c.pass}</td><td>${c.fail}</td><td>${c.unknown}</td><td>${c.manual}</td>` +
          `<td>${c.waived}</td><td>${c['not-applicable']}</td></tr>`,
      );
    }
    out.push('</table>');
    renderDrillDown(out, model, latest);
  }

  out.push('<h2>Population of runs in the period</h2>');
  out.push('<table><tr><th>Log index</th><th>Recorded at</th><th>Commit</th><th>CI run</th><th>Result</th>');
  out.push('<th>Envelope sha256</th></tr>');
  for (const run of model.runs) {
    const s = run.result.summary;
    const result = `exit ${s.exitCode}; ${s.failing} failing; pass ${s.findings.pass}, fail ${s.findings.fail}, unknown ${s.findings.unknown}, error ${s.findings.error}, waived ${s.findings.waived}`;
    const ci = run.ciRunUrl
      ? `${escapeHtml(run.ciProvider ?? '')} <code>${escapeHtml(run.ciRunUrl)}</code>`
      : escapeHtml(run.ciProvider ?? '—');
    out.push(
      `<tr><td>${run.index}</td><td>${escapeHtml(run.recordedAt)}</td><td><code>${escapeHtml(run.commit ?? '—')}</code></td>` +
        `<td>${ci}</td><td>${escapeHtml(result)}</td><td><code>${escapeHtml(run.envelopeSha256)}</code></td></tr>`,
    );
  }
  out.push('</table>');

  const population = periodPopulation(model);
  out.push('<h2>Remediation population: vulnerabilities and secrets open in the period</h2>');
  if (population.length === 0) {
    out.push('<p>No clocked finding (open vulnerability, leaked secret) was open in this period.</p>');
  } else {
    const missed = population.filter((r) => r.met === 'no').length;
    out.push(
      `<p>${population.length} open in the period; ${missed} missed ${missed === 1 ? 'its' : 'their'} deadline. Also in <code>report/vulnerabilities.csv</code>.</p>`,
    );
    out.push(
      '<table><tr><th>Kind</th><th>Item</th><th>Package</th><th>Severity</th><th>First seen</th><th>Resolved at</th><th>Deadline</th><th>Met</th><th>Waiver</th></tr>',
    );
    for (const r of population) {
      out.push(
        `<tr><td>${escapeHtml(r.kind)}</td><td>${escapeHtml(r.item)}</td><td><code>${escapeHtml(r.purl ?? '—')}</code></td><td>${escapeHtml(r.severity)}</td>` +
          `<td>${escapeHtml(r.firstSeen)}</td><td>${escapeHtml(r.resolvedAt ?? 'open')}</td><td>${escapeHtml(r.deadline ?? '—')}</td>` +
          `<td>${escapeHtml(r.met)}</td><td>${escapeHtml(r.waiver ?? '')}</td></tr>`,
      );
    }
    out.push('</table>');
  }

  if (model.manual.length > 0) {
    out.push('<h2>Manual evidence logged in the period</h2>');
    out.push(
      '<table><tr><th>Log index</th><th>Recorded at</th><th>Control</th><th>Document</th><th>Document sha256</th>',
    );
    out.push('<th>Envelope sha256</th></tr>');
    for (const m of model.manual) {
      out.push(
        `<tr><td>${m.index}</td><td>${escapeHtml(m.recordedAt)}</td><td>${escapeHtml(m.controlId)}</td><td>${escapeHtml(m.path)}</td>` +
          `<td><code>${escapeHtml(m.sha256)}</code></td><td><code>${escapeHtml(m.envelopeSha256)}</code></td></tr>`,
      );
    }
    out.push('</table>');
  }
  out.push(
    '<p>Verify this bundle with <code>evident verify BUNDLE --key PUBKEY</code> or by hand: see AUDITOR.md.</p>',
  );
  out.push('</body></html>', '');
  return out.join('\n');
}

function renderDrillDown(out: string[], model: BundleModel, run: BundleRun): void {
  const controls = new Map<string, ControlStatus>(run.result.controls.map((c) => [c.id, c]));
  const findingsByCheck = new Map<string, Finding[]>();
  for (const f of run.result.findings) {
    const list = findingsByCheck.get(f.checkId) ?? [];
    list.push(f);
    findingsByCheck.set(f.checkId, list);
  }
  out.push('<h2>Framework → requirement → control → check → finding</h2>');
  for (const fw of frameworksOf(model, run)) {
    out.push(`<h3>${escapeHtml(fw.name)} — ${escapeHtml(fw.compliancePercent.toFixed(1))}%</h3>`);
    for (const req of fw.requirements) {
      out.push(
        `<details><summary>${escapeHtml(req.id)} ${escapeHtml(req.title)}: ${status(req.status)} — ${escapeHtml(req.reason)}</summary>`,
      );
      out.push(`<p>Evidence: ${runRef(run)}.</p>`);
      if (req.controls.length === 0) out.push('<p>No control covers this requirement.</p>');
      for (const id of req.controls) {
        const c = controls.get(id);
        if (!c) {
          out.push(`<p>Control ${escapeHtml(id)}: not in this run's control map.</p>`);
          continue;
        }
        out.push(
          `<details><summary>Control ${escapeHtml(c.id)} ${escapeHtml(c.title)}: ${status(c.status)} — ${escapeHtml(c.reason)}</summary>`,
        );
        out.push(`<p>Satisfies: ${escapeHtml(formatMappings(c.satisfies))}</p>`);
        if (c.evidence) {
          const manual = model.manual.filter((m) => m.controlId === c.id && m.sha256 === c.evidence?.sha256);
          out.push(
            `<p>Manual evidence ${escapeHtml(c.evidence.path)}: ${c.evidence.fresh ? 'fresh' : 'not fresh'} — ${escapeHtml(c.evidence.reason)}` +
              `${c.evidence.sha256 ? `; document sha256 <code>${escapeHtml(c.evidence.sha256)}</code>` : ''}` +
              manual
                .map(
                  (m) =>
                    `; logged as entry #${m.index}, envelope sha256 <code>${escapeHtml(m.envelopeSha256)}</code>`,
                )
                .join('') +
              '</p>',
          );
        }
        for (const check of c.checks) {
          const fs = findingsByCheck.get(check.id) ?? [];
          out.push(
            `<details><summary>Check ${escapeHtml(check.id)}: ${status(check.outcome)} (${fs.length} finding${fs.length === 1 ? '' : 's'})</summary>`,
          );
          if (fs.length > 0) {
            out.push(
              '<table><tr><th>Outcome</th><th>Subject</th><th>Location</th><th>Message</th><th>Fingerprint</th></tr>',
            );
            for (const f of fs) {
              const waived =
                f.waiver && !f.waiver.expired
                  ? ` (waived: ${f.waiver.reason}, ${f.waiver.owner}, until ${f.waiver.expires})`
                  : '';
              out.push(
                `<tr><td>${status(f.outcome)}${escapeHtml(waived)}</td><td>${escapeHtml(f.subject.address)}</td>` +
                  `<td>${escapeHtml(f.location.file)}:${escapeHtml(f.location.line)}</td><td>${escapeHtml(f.message)}</td>` +
                  `<td><code>${escapeHtml(f.fingerprint)}</code></td></tr>`,
              );
            }
            out.push('</table>');
          }
          out.push('</details>');
        }
        out.push('</details>');
      }
      out.push('</details>');
    }
  }
}
