import { isBinaryFile } from 'isbinaryfile';
import type { Diagnostic } from '../../core/errors.js';
import type { SecretFact, SecretScanFact } from '../../core/facts.js';
import type { SkippedInput } from '../../core/scan-result.js';
import type { CandidateFile } from '../../core/source.js';
import { describeRefusal, readRegularFile } from '../read-regular-file.js';
import { type Fragment, SecretDetector, type SecretMatch } from './detect.js';
import { streamHistory } from './history.js';
import type { SecretRuleSet } from './rule.js';
import type { SecretSalt } from './salt.js';

/** Default largest file (tree) or added text of one file change (history) scanned: 10 MiB. */
export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

/** What a secrets scan needs: the rules, the salt for fingerprints and the size limit. */
export interface SecretScanSettings {
  ruleSet: SecretRuleSet;
  /** `builtin` or the rules file, for reports. */
  ruleSource: string;
  salt: SecretSalt;
  maxFileBytes: number;
}

/** What a secrets scan produced (the source's facts and diagnostics). */
export interface SecretScanOutput {
  facts: (SecretFact | SecretScanFact)[];
  skipped: SkippedInput[];
  diagnostics: Diagnostic[];
}

function toFact(m: SecretMatch, fragment: Fragment, salt: SecretSalt, where: 'tree' | 'history'): SecretFact {
  return {
    kind: 'secret',
    rule: m.rule.id,
    description: m.rule.description,
    severity: m.rule.severity,
    hash: salt.hash(m.secret),
    where,
    location: {
      file: fragment.path,
      line: m.line,
      column: m.column,
      ...(m.endLine !== m.line ? { endLine: m.endLine } : {}),
    },
    ...(where === 'tree' ? { span: [m.start, m.end] as [number, number] } : {}),
    preview: m.preview,
    entropy: Math.round(m.entropy * 100) / 100,
    ...(m.inlineAllow ? { allowed: m.inlineAllow } : {}),
  };
}

/**
 * Scans working-tree files: each is read once, skipped (and listed) when over the size limit,
 * skipped silently when binary (NUL bytes / non-text per `isbinaryfile`, the same test git uses for
 * diffs, roughly), decoded as UTF-8 and run through the detector; files named by a path-only rule
 * (a `.p12` keystore) are findings whatever their content. Unreadable files are warnings.
 */
export async function scanTree(
  files: readonly CandidateFile[],
  s: SecretScanSettings,
): Promise<SecretScanOutput> {
  const detector = new SecretDetector(s.ruleSet);
  const out: SecretScanOutput = { facts: [], skipped: [], diagnostics: [] };
  const coverage: SecretScanFact = {
    kind: 'secret-scan',
    scope: 'tree',
    files: 0,
    bytes: 0,
    rules: s.ruleSet.rules.length,
    ruleSource: s.ruleSource,
    skipped: [],
    location: { file: '.', line: 1 },
  };
  for (const f of files) {
    for (const rule of detector.pathOnlyRules(f.rel)) {
      out.facts.push({
        kind: 'secret',
        rule: rule.id,
        description: rule.description,
        severity: rule.severity,
        hash: s.salt.hash(`file:${f.rel}`),
        where: 'tree',
        location: { file: f.rel, line: 1 },
        preview: `credential file ${f.name}`,
        entropy: 0,
      });
    }
    // non-blocking open, regular files only: a FIFO or device is never waited on
    const read = await readRegularFile(f.abs, s.maxFileBytes);
    if ('refused' in read) {
      const r = read.refused;
      if (r.kind === 'io') {
        out.diagnostics.push({
          severity: 'warning',
          code: 'E_IO',
          file: f.rel,
          message: `Cannot read ${f.rel} to scan it for secrets: ${r.code}. It is not scanned.`,
        });
        continue;
      }
      const reason =
        r.kind === 'too-large'
          ? `${r.bytes} bytes, over the ${s.maxFileBytes}-byte secrets scan limit: not scanned for secrets (raise secrets.maxFileBytes or exclude it)`
          : `${describeRefusal(r, s.maxFileBytes)}: not scanned for secrets`;
      coverage.skipped.push({ file: f.rel, reason });
      out.skipped.push({ file: f.rel, reason });
      continue;
    }
    const buf = read.buf;
    if (buf.length === 0 || (await isBinaryFile(buf, buf.length))) continue;
    coverage.files++;
    coverage.bytes += buf.length;
    const fragment: Fragment = { text: buf.toString('utf8'), path: f.rel };
    const { matches, notes } = detector.detect(fragment);
    for (const m of matches) out.facts.push(toFact(m, fragment, s.salt, 'tree'));
    for (const n of notes)
      out.diagnostics.push({
        severity: 'warning',
        code: 'E_CONFIG',
        file: f.rel,
        line: n.line,
        message: n.message,
      });
  }
  out.facts.push(coverage);
  return out;
}

/**
 * Scans the added lines of every commit on every branch (see history.ts), keeping one fact per
 * (secret hash, file): the oldest commit that added it, with how many commits did. A directory that
 * is not in a git work tree gives an error diagnostic (the history could not be scanned).
 */
export async function scanHistory(root: string, s: SecretScanSettings): Promise<SecretScanOutput> {
  const detector = new SecretDetector(s.ruleSet);
  const out: SecretScanOutput = { facts: [], skipped: [], diagnostics: [] };
  const byKey = new Map<string, SecretFact>();
  try {
    const stats = await streamHistory(root, s.maxFileBytes, (change) => {
      const { matches, notes } = detector.detect(change);
      void notes;
      for (const m of matches) {
        const fact = toFact(m, change, s.salt, 'history');
        const key = `${fact.hash}\0${change.path}`;
        const prev = byKey.get(key);
        // git log lists newest first: a later sighting is an older commit
        byKey.set(key, {
          ...fact,
          commit: change.commit,
          authorDate: change.authorDate,
          commits: (prev?.commits ?? 0) + 1,
          ...(prev?.allowed && !fact.allowed ? { allowed: prev.allowed } : {}),
        });
      }
    });
    out.facts.push(...byKey.values());
    out.facts.push({
      kind: 'secret-scan',
      scope: 'history',
      files: stats.changes,
      bytes: stats.bytes,
      commits: stats.commits,
      ...(stats.shallow ? { shallow: true } : {}),
      rules: s.ruleSet.rules.length,
      ruleSource: s.ruleSource,
      skipped: stats.skipped,
      location: { file: '.', line: 1 },
    });
    for (const sk of stats.skipped) out.skipped.push(sk);
  } catch (err) {
    out.diagnostics.push({
      severity: 'error',
      code: 'E_INPUT_UNSUPPORTED',
      file: '.',
      message: `Cannot scan the git history for secrets: ${(err as Error).message}. Is the path inside a git work tree with git installed? The history result is missing from this run.`,
    });
  }
  return out;
}
