import type { CheckDefinition, CheckResult, Subject } from '../../../core/check.js';
import type { SecretFact, SecretScanFact } from '../../../core/facts.js';
import { SECRETS_MAPPINGS } from '../../_lib/mappings.js';

/** Subject of a secret in one file: the rule and the first 16 hex digits of its salted hash. */
export function secretSubject(f: SecretFact): Subject {
  return {
    kind: 'secrets',
    type: f.rule,
    address: `${f.rule}:${f.hash.slice(0, 16)}`,
    scope: f.location.file,
    location: f.location,
  };
}

function describe(f: SecretFact, history: SecretFact | undefined): string {
  const where =
    f.where === 'tree' ? 'in the working tree' : 'in git history only (no longer in the working tree)';
  const commit = (history ?? (f.where === 'history' ? f : undefined)) as SecretFact | undefined;
  const added = commit?.commit
    ? `; added in commit ${commit.commit.slice(0, 12)} (${commit.authorDate}${(commit.commits ?? 1) > 1 ? `, and in ${(commit.commits ?? 1) - 1} more commits` : ''})`
    : '';
  return `${f.description} ${where} at line ${f.location.line}: ${f.preview}${added}`;
}

export const check: CheckDefinition = {
  id: 'secrets.no-secrets-in-code',
  title: 'No secrets in code or git history',
  severity: 'high',
  rationale:
    'A credential committed to a repository is readable by everyone with access to it, forever: git keeps every version, clones and forks copy it, and CI logs echo it.',
  remediation:
    'Revoke and rotate the credential first, then move it to a secret manager or CI secret and read it at run time. Removing the line is not enough once it was committed; if the value is not a secret, add `evident:allow secret reason="..."` on its line.',
  input: 'secrets',
  mappings: SECRETS_MAPPINGS,
  references: ['https://owasp.org/Top10/A07_2021-Identification_and_Authentication_Failures/'],
  adversarial: {
    // the same credential under another key spelling and format (YAML, capitalised, hyphenated)
    spelling: ['fail-yaml-spelling.secrets.txt'],
    // credentials that are not name = value assignments: credential files, connection strings
    coverage: ['fail-credential-file.netrc', 'fail-database-url.env'],
  },
  evaluate(facts) {
    const results: CheckResult[] = [];
    const secrets = facts.secrets.filter((f): f is SecretFact => f.kind === 'secret');
    const scans = facts.secrets.filter((f): f is SecretScanFact => f.kind === 'secret-scan');
    // one finding per (file, secret): the working-tree sighting when there is one, with its history
    const byKey = new Map<string, { tree?: SecretFact; history?: SecretFact }>();
    for (const f of secrets) {
      const key = `${f.location.file}\0${f.hash}`;
      const entry = byKey.get(key) ?? {};
      if (f.where === 'tree') entry.tree ??= f;
      else entry.history ??= f;
      byKey.set(key, entry);
    }
    for (const { tree, history } of byKey.values()) {
      const f = (tree ?? history)!;
      const allowed = tree?.allowed ?? history?.allowed;
      const commit = history?.commit ? { commit: history.commit, authorDate: history.authorDate } : {};
      results.push({
        subject: secretSubject(f),
        outcome: 'fail',
        severity: f.severity,
        message: describe(f, history),
        secret: { rule: f.rule, where: f.where, ...commit, preview: f.preview },
        ...(allowed
          ? {
              waiver: {
                reason: allowed.reason,
                owner: 'inline evident:allow',
                expires: 'never',
                expired: false,
                location: { file: f.location.file, line: allowed.line },
              },
            }
          : {}),
      });
    }
    for (const scan of scans) {
      const label = scan.scope === 'tree' ? 'working-tree' : 'git-history';
      if (scan.shallow) {
        // a shallow clone holds only the newest commits: the rest of the history was not scanned
        results.push({
          subject: { kind: 'secrets', type: 'scan', address: label, scope: '.', location: scan.location },
          outcome: 'unknown',
          message: `the git history is a shallow clone: only ${scan.commits ?? 0} commits were scanned, older ones are not in it. Fetch the whole history (actions/checkout \`fetch-depth: 0\`, or \`git fetch --unshallow\`) and scan again`,
        });
      } else if (!secrets.some((s) => s.where === scan.scope)) {
        results.push({
          subject: { kind: 'secrets', type: 'scan', address: label, scope: '.', location: scan.location },
          outcome: 'pass',
          message:
            scan.scope === 'tree'
              ? `no secrets in ${scan.files} text files (${scan.bytes} bytes) with ${scan.rules} rules (${scan.ruleSource})`
              : `no secrets in the added lines of ${scan.commits ?? 0} commits (${scan.files} file changes) with ${scan.rules} rules (${scan.ruleSource})`,
        });
      }
      for (const sk of scan.skipped) {
        results.push({
          subject: {
            kind: 'secrets',
            type: 'unscanned',
            address: `unscanned:${sk.file}`,
            scope: sk.file,
            location: { file: sk.file.replace(/@[0-9a-f]{12}$/, ''), line: 1 },
          },
          outcome: 'unknown',
          message: `not scanned for secrets: ${sk.reason}`,
        });
      }
    }
    return results;
  },
};
