import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { EvidentError } from '../../core/errors.js';
import type { VerifyReport } from '../../evidence/index.js';
import { readPublicKeyFile, verifyLog } from '../../evidence/index.js';

/** Options of `evident verify`. */
interface VerifyCliOptions {
  key?: string;
  entryKey?: string[];
  since?: string;
  allowUnsigned?: boolean;
  blobs?: string | false;
  format?: string;
}

/** True when `target` looks like an auditor bundle (a file, or a directory with manifest.json) rather than a log. */
export function isBundleTarget(target: string): boolean {
  const st = statSync(target);
  if (st.isFile()) return true;
  return existsSync(join(target, 'manifest.json')) && !existsSync(join(target, 'entries.jsonl'));
}

/** Renders a report as `✓ name: detail` / `✗ name: detail` lines and a verdict line. */
export function renderVerifyReport(r: VerifyReport, color = true): string {
  const c = color
    ? pc
    : { green: (s: string) => s, red: (s: string) => s, bold: (s: string) => s, yellow: (s: string) => s };
  const lines = r.checks.map((k) => `${k.ok ? c.green('✓') : c.red('✗')} ${k.name}: ${k.detail}`);
  const failed = r.checks.filter((k) => !k.ok).length;
  const unsigned = r.unsigned > 0 ? `, ${r.unsigned} unsigned` : '';
  lines.push(
    r.ok
      ? c.bold(c.green(`verdict: OK: ${r.target}: ${r.entries} entries verified${unsigned}`))
      : c.bold(
          c.red(
            `verdict: FAILED: ${r.target}: ${failed} check(s) failed over ${r.entries} entries${unsigned}`,
          ),
        ),
  );
  return `${lines.join('\n')}\n`;
}

/**
 * `evident verify [LOG|BUNDLE] --key PUB [--since CHECKPOINT] [--allow-unsigned] [--blobs DIR|--no-blobs]
 * [--format text|json]`: verifies a log directory (default .evident/ledger) or an auditor bundle against the pinned
 * public key. Prints one line per check and a verdict; exit code 0 all ok, 1 verification failed, 2 usage error.
 */
export function registerVerifyCommand(program: Command): void {
  program
    .command('verify')
    .description(
      'Verify an evidence log or auditor bundle: signatures, Merkle root vs checkpoint, blobs, consistency',
    )
    .argument('[target]', 'evidence log directory or auditor bundle', '.evident/ledger')
    .option(
      '--key <file>',
      'pinned Ed25519 public key (PEM, evident.pub); keys inside the target are never trusted',
    )
    .option(
      '--entry-key <file>',
      'another public key accepted for entry signatures only (a server log: each repository key; repeatable)',
      (v: string, p: string[] = []) => [...p, v],
    )
    .option(
      '--since <file>',
      'earlier checkpoint file: prove the log still contains everything it committed to',
    )
    .option('--allow-unsigned', 'accept unsigned entries and checkpoints (reported, not failed)')
    .option('--blobs <dir>', 'blob store of a log (default: beside the log)')
    .option('--no-blobs', 'skip re-hashing blobs (log only)')
    .option('--format <format>', 'text or json', 'text')
    .action(async (target: string, o: VerifyCliOptions) => {
      if (o.format !== 'text' && o.format !== 'json') {
        throw new EvidentError('E_USAGE', `unknown --format ${o.format}`, {
          hint: 'use --format text or --format json',
        });
      }
      if (!o.key && !o.allowUnsigned) {
        throw new EvidentError('E_USAGE', 'verify needs the public key to pin: --key evident.pub', {
          hint: 'pass the public key you trust (never one shipped inside the bundle); --allow-unsigned alone checks only unsigned evidence',
        });
      }
      if (!existsSync(target)) {
        throw new EvidentError('E_USAGE', `${target} does not exist`, {
          hint: 'pass an evidence log directory (default .evident/ledger) or an auditor bundle',
        });
      }
      const pub = o.key ? readPublicKeyFile(o.key) : undefined;
      const entryKeys = (o.entryKey ?? []).map((f) => readPublicKeyFile(f).pem);
      let since: string | undefined;
      if (o.since) {
        try {
          since = readFileSync(o.since, 'utf8');
        } catch (err) {
          throw new EvidentError(
            'E_USAGE',
            `cannot read --since checkpoint ${o.since}: ${(err as Error).message}`,
            {
              hint: 'pass a checkpoint file saved from an earlier run (.evident/ledger/checkpoint)',
            },
          );
        }
      }
      let report: VerifyReport;
      if (isBundleTarget(target)) {
        report = await verifyBundleTarget(target, pub?.pem, {
          since,
          allowUnsigned: o.allowUnsigned,
          entryKeys,
        });
      } else {
        report = await verifyLog(target, {
          publicKeyPem: pub?.pem,
          allowUnsigned: o.allowUnsigned,
          blobDir: o.blobs === false ? false : o.blobs,
          sinceCheckpoint: since,
          entryKeys,
        });
      }
      process.stdout.write(
        o.format === 'json'
          ? `${JSON.stringify(report, null, 2)}\n`
          : renderVerifyReport(report, process.stdout.isTTY === true && !process.env.NO_COLOR),
      );
      process.exitCode = report.ok ? 0 : 1;
    });
}

type BundleVerifier = (
  path: string,
  publicKeyPem: string | undefined,
  opts?: { since?: string; allowUnsigned?: boolean; entryKeys?: string[] },
) => Promise<VerifyReport>;

async function verifyBundleTarget(
  target: string,
  publicKeyPem: string | undefined,
  opts: { since?: string; allowUnsigned?: boolean; entryKeys?: string[] },
): Promise<VerifyReport> {
  let verifyBundle: BundleVerifier | undefined;
  try {
    // Lazy: the bundle module is optional at build time (written separately).
    const modPath = '../../evidence/bundle/verify-bundle.js';
    const mod = (await import(modPath)) as { verifyBundle?: BundleVerifier };
    verifyBundle = mod.verifyBundle;
  } catch {
    verifyBundle = undefined;
  }
  if (!verifyBundle) {
    throw new EvidentError(
      'E_USAGE',
      `${target} looks like an auditor bundle, but bundle verification is not available in this build`,
      {
        hint: 'verify the evidence log directory instead (default .evident/ledger)',
      },
    );
  }
  return verifyBundle(target, publicKeyPem, opts);
}
