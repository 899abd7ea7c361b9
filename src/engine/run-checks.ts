import type { CheckContext, CheckDefinition, Subject } from '../core/check.js';
import type { Facts } from '../core/facts.js';
import type { Finding } from '../core/finding.js';
import { fingerprint } from '../core/fingerprint.js';

/**
 * Evaluates every check against the facts. Each CheckResult becomes a Finding with a stable
 * fingerprint. A check that throws yields one `error` finding for that check (subject = the check
 * itself, scope `.`) and the run goes on (DESIGN.md "Checks ... One check crashing yields an error finding").
 * Findings are ordered by check id, then file, then line, then address, for deterministic output.
 */
export function runChecks(checks: readonly CheckDefinition[], facts: Facts, ctx: CheckContext): Finding[] {
  const findings: Finding[] = [];
  for (const check of checks) {
    try {
      for (const r of check.evaluate(facts, ctx)) {
        findings.push({
          checkId: check.id,
          title: check.title,
          severity: r.severity ?? check.severity,
          outcome: r.outcome,
          subject: r.subject,
          message: r.message,
          ...(r.messageId ? { messageId: r.messageId } : {}),
          location: r.location ?? r.subject.location,
          fingerprint: fingerprint(check.id, r.subject),
          ...(r.waiver ? { waiver: r.waiver } : {}),
          ...(r.sla ? { sla: r.sla } : {}),
          ...(r.secret ? { secret: r.secret } : {}),
        });
      }
    } catch (err) {
      const subject: Subject = {
        kind: check.input === 'kubernetes' ? 'kubernetes' : 'terraform',
        type: 'check',
        address: check.id,
        scope: '.',
        location: { file: '.', line: 1 },
      };
      findings.push({
        checkId: check.id,
        title: check.title,
        severity: check.severity,
        outcome: 'error',
        subject,
        message: `check crashed: ${err instanceof Error ? err.message : String(err)}. Its verdicts are missing from this run; please report it.`,
        location: subject.location,
        fingerprint: fingerprint(check.id, subject),
      });
    }
  }
  return findings.sort(
    (a, b) =>
      a.checkId.localeCompare(b.checkId) ||
      a.location.file.localeCompare(b.location.file) ||
      a.location.line - b.location.line ||
      a.subject.address.localeCompare(b.subject.address),
  );
}
