import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { EVIDENCE_DIR, type Repository } from '../engine/repository.js';
import type { ScanRun } from '../engine/run-scan.js';
import { type KeyStore, loadSigner, recordScan, SIGNING_KEY_ENV } from '../evidence/index.js';
import { logSigners } from '../evidence/log-signers.js';

/**
 * `p` as the user would type it from the current directory: relative when it is below the current
 * directory, else the shorter of the relative (`../acme/.evident/ledger`) and the absolute path.
 */
export function displayPath(p: string): string {
  const abs = resolve(p);
  const rel = relative(process.cwd(), abs);
  if (rel === '') return '.';
  if (isAbsolute(rel)) return abs;
  const posix = rel.split(sep).join('/');
  return !posix.startsWith('..') || posix.length <= abs.length ? posix : abs;
}

/**
 * Why no signing key is in use, for the UNSIGNED notice. An `EVIDENT_SIGNING_KEY` that is set but
 * empty is what a CI job gets when the secret is not available to it: on GitHub Actions, a pull
 * request from a fork.
 */
export function unsignedReason(env: NodeJS.ProcessEnv): string {
  const v = env[SIGNING_KEY_ENV];
  if (v !== undefined && v.trim() === '') {
    return `$${SIGNING_KEY_ENV} is set but empty (CI secrets are not given to pull requests from forks)`;
  }
  return 'no signing key (--key-file, $EVIDENT_SIGNING_KEY_FILE or $EVIDENT_SIGNING_KEY)';
}

/**
 * Warnings to print before appending to the log in `ledgerDir`: a log whose entries are signed by
 * different keys, or mix signed and unsigned entries, exports bundles that fail `evident verify
 * --key` (every entry must verify under the one pinned key). Empty when the log is absent or uniform
 * with what is about to be appended.
 */
export function mixedSigningWarnings(ledgerDir: string, signer: KeyStore | undefined): string[] {
  const s = logSigners(ledgerDir);
  if (!s || s.entries === 0) return [];
  const where = displayPath(ledgerDir);
  const fresh = `start a fresh log for the audit period instead (keep the old one): --ledger ${EVIDENCE_DIR}/ledger-<period>, or move ${where} away; see docs/evidence.md#one-key-per-log`;
  if (signer) {
    const me = signer.keyId();
    const others = [...s.byKey].filter(([k]) => k !== me);
    const parts: string[] = [];
    if (s.unsigned > 0) parts.push(`${s.unsigned} unsigned`);
    if (others.length > 0)
      parts.push(
        `${others.reduce((n, [, c]) => n + c, 0)} signed by another key (${others.map(([k]) => k).join(', ')})`,
      );
    if (parts.length === 0) return [];
    return [
      `evident: WARNING: appending entries signed by ${me} to ${where}, which holds ${parts.join(' and ')} of its ${s.entries} entries: \`evident verify --key\` fails on them, and so does every bundle exported for a period that includes them; ${fresh}`,
    ];
  }
  const signed = s.entries - s.unsigned;
  if (signed === 0) return [];
  return [
    `evident: WARNING: appending an UNSIGNED entry to ${where}, whose ${signed} other entries are signed: \`evident verify --key\` will fail on it; sign it (--key-file or $EVIDENT_SIGNING_KEY_FILE), record nothing (--no-evidence), or ${fresh}`,
  ];
}

/** What `.evident/.gitignore` holds: the logs, bundles and server store Evident writes, not a team's rules (`.evident/policies`). */
export const EVIDENCE_GITIGNORE =
  '# Written by evident: evidence logs and bundles are append-only records kept outside git\n' +
  '# (docs/evidence.md#where-evidence-lives). Team rules in .evident/policies are committed as usual.\n' +
  '/ledger*/\n/exports/\n/db/\n/db.lock\n';

/**
 * Before writing into the repository's evidence directory (`.evident/`: the default log, bundles), gives
 * it a `.gitignore` for the logs and bundles unless it has one: the log is append-only and is not
 * committed (two branches appending to a committed log would diverge, and it would copy every scanned
 * input into the history); keep it durable elsewhere (docs/evidence.md "Where evidence lives"). Does
 * nothing for a `target` outside `.evident/`.
 */
export function prepareEvidenceDir(repo: Repository, target: string): void {
  const rel = relative(repo.evidenceDir, resolve(target));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return;
  const ignore = join(repo.evidenceDir, '.gitignore');
  if (existsSync(ignore)) return;
  mkdirSync(repo.evidenceDir, { recursive: true });
  writeFileSync(ignore, EVIDENCE_GITIGNORE);
}

/** What {@link recordScanEvidence} has to say: `notes` (quiet hides them) and `alerts` (always printed). */
export interface EvidenceMessages {
  notes: string[];
  alerts: string[];
}

/**
 * Records a finished scan in the evidence log (signed when a key is configured) and returns what the
 * CLI prints about it: where the entry went, whether it is signed, and warnings about a log that
 * mixes keys. Unsigned evidence and warnings are `alerts`, which the CLI prints even under `--quiet`.
 * Never prints key material.
 */
export async function recordScanEvidence(opts: {
  run: ScanRun;
  root: string;
  repo: Repository;
  ledgerDir: string;
  blobDir?: string;
  keyFile?: string;
}): Promise<EvidenceMessages> {
  const signer = loadSigner({ keyFile: opts.keyFile, env: process.env });
  const alerts = mixedSigningWarnings(opts.ledgerDir, signer);
  prepareEvidenceDir(opts.repo, opts.ledgerDir);
  const rec = await recordScan({
    result: opts.run.result,
    root: opts.root,
    ledgerDir: opts.ledgerDir,
    blobDir: opts.blobDir,
    signer,
    env: process.env,
  });
  const where = displayPath(opts.ledgerDir);
  if (rec.signed) {
    return {
      notes: [
        `evident: evidence recorded and signed by ${signer?.keyId()}: ${where} entry #${rec.index} (sha256:${rec.envelopeSha256.slice(0, 16)}…)`,
      ],
      alerts,
    };
  }
  alerts.push(
    `evident: evidence recorded UNSIGNED: ${where} entry #${rec.index}: ${unsignedReason(process.env)}. Unsigned entries are not audit evidence: \`evident verify --key\` fails them (see 'evident keygen').`,
  );
  return { notes: [], alerts };
}
