import type { CheckDefinition, CheckResult, Subject } from '../../../core/check.js';
import { DEFAULT_SLA } from '../../../core/check.js';
import type { SecretFact } from '../../../core/facts.js';
import { SECRETS_MAPPINGS } from '../../_lib/mappings.js';
import { describeClock, evaluateClock } from '../../_lib/sla-clock.js';

const ID = 'secrets.rotation-sla';

export const check: CheckDefinition = {
  id: ID,
  title: 'Leaked secrets are rotated within the deadline',
  severity: 'critical',
  rationale:
    'Once a credential was in a repository it must be treated as compromised: the window between the first sighting and its rotation is the window of exposure an auditor asks about.',
  remediation:
    'Rotate (revoke and reissue) the credential within the deadline (evident.yaml `sla.secrets`, default 24 h after the first run that saw it). Then remove it from the code, or record the rotation with a waiver on this check (owner, reason, expiry) when it must stay in git history.',
  input: 'secrets',
  mappings: SECRETS_MAPPINGS,
  clocked: true,
  adversarial: {
    // no earlier run in the evidence log: the clock cannot be checked, never a silent pass
    unresolvable: ['unknown-clock-unknown.secrets.txt'],
    // the default deadline (24 h) applies when evident.yaml sets none
    'provider-default': ['fail-overdue.secrets.txt', 'pass-within-deadline.secrets.txt'],
  },
  evaluate(facts, ctx) {
    const results: CheckResult[] = [];
    const seen = new Set<string>();
    const secrets = facts.secrets
      .filter((f): f is SecretFact => f.kind === 'secret' && !f.allowed)
      .sort((a, b) => (a.where === b.where ? 0 : a.where === 'tree' ? -1 : 1));
    const budget = (ctx.sla ?? DEFAULT_SLA).secrets;
    for (const f of secrets) {
      if (seen.has(f.hash)) continue;
      seen.add(f.hash);
      const subject: Subject = {
        kind: 'secrets',
        type: f.rule,
        address: `${f.rule}:${f.hash.slice(0, 16)}`,
        scope: '.',
        location: f.location,
      };
      const clock = evaluateClock(ID, subject, budget, ctx);
      const outcome = clock.state === 'within' ? 'pass' : clock.state === 'overdue' ? 'fail' : 'unknown';
      results.push({
        subject,
        outcome,
        severity: f.severity,
        message: `${f.description} at ${f.location.file}:${f.location.line}: rotate within ${budget} h of first sight: ${describeClock(clock, ctx.now)}`,
        sla: { kind: 'secret', item: f.rule, severity: f.severity, ...clock },
      });
    }
    return results;
  },
};
