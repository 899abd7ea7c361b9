import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { EvidentError } from '../../core/errors.js';
import { generateKeyPair, insideGitWorkTree } from '../../evidence/index.js';
import { exitCodesHelp, USAGE_ERROR } from '../help.js';

/** Default key directory: `$XDG_CONFIG_HOME/evident`, else `~/.config/evident` (outside any repository). */
export function defaultKeyDir(env: NodeJS.ProcessEnv): string {
  const base =
    env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.trim() !== ''
      ? env.XDG_CONFIG_HOME
      : join(homedir(), '.config');
  return join(base, 'evident');
}

function nearestExisting(dir: string): string {
  let d = dir;
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  return d;
}

function writeNew(path: string, text: string, mode: number): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new EvidentError('E_USAGE', `${path} already exists; no key was written`, {
        hint: 'keys are never overwritten: choose another --out directory, or move the old key away first',
      });
    }
    throw new EvidentError('E_IO', `cannot write ${path}: ${(err as Error).message}`, { file: path });
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/**
 * `evident keygen [--out DIR] [--force-in-repo]`: writes a new Ed25519 key pair as DIR/evident.key (PKCS#8 PEM,
 * mode 0600) and DIR/evident.pub (SPKI PEM). Refuses to overwrite either file, and refuses to put the private key
 * inside a git work tree unless --force-in-repo (then warns). Prints paths and the key id, never the private key.
 */
export function registerKeygenCommand(program: Command): void {
  program
    .command('keygen')
    .description('Create an Ed25519 key pair for signing evidence (evident.key private, evident.pub public)')
    .option(
      '--out <dir>',
      'directory to write evident.key and evident.pub into (default: $XDG_CONFIG_HOME/evident when set, else ~/.config/evident)',
    )
    .option('--force-in-repo', 'allow writing the private key inside a git work tree (not recommended)')
    .addHelpText(
      'after',
      exitCodesHelp({
        0: 'key pair written',
        2: `${USAGE_ERROR}: a key already there, or DIR inside a git work tree`,
      }) +
        '\nevident.key is the PRIVATE key: pass it as --key-file (scan, evidence add, export) or set\n' +
        'EVIDENT_SIGNING_KEY_FILE (or its PEM text in EVIDENT_SIGNING_KEY, a CI secret).\n' +
        'evident.pub is the PUBLIC key: pass it as --key (verify, export); commit it and give it to auditors.\n',
    )
    .action((o: { out?: string; forceInRepo?: boolean }) => {
      const dir = resolve(o.out ?? defaultKeyDir(process.env));
      const keyPath = join(dir, 'evident.key');
      const pubPath = join(dir, 'evident.pub');
      for (const p of [keyPath, pubPath]) {
        if (existsSync(p)) {
          throw new EvidentError('E_USAGE', `${p} already exists; no key was written`, {
            hint: 'keys are never overwritten: choose another --out directory, or move the old key away first',
          });
        }
      }
      const inRepo = insideGitWorkTree(nearestExisting(dir));
      if (inRepo && !o.forceInRepo) {
        throw new EvidentError(
          'E_USAGE',
          `${dir} is inside a git work tree: refusing to write a private key there`,
          {
            hint: 'a committed signing key lets anyone forge evidence; use the default ~/.config/evident or --out outside the repo (or --force-in-repo if it is git-ignored and you accept the risk)',
          },
        );
      }
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const kp = generateKeyPair();
      writeNew(keyPath, kp.privateKeyPem, 0o600);
      writeNew(pubPath, kp.publicKeyPem, 0o644);
      if (inRepo) {
        process.stderr.write(
          `${pc.yellow('WARNING')}: the private key ${keyPath} is inside a git work tree. Make sure it is git-ignored and never committed.\n`,
        );
      }
      process.stdout.write(
        [
          `private key: ${keyPath} (mode 0600; keep it secret, never commit it)`,
          `public key:  ${pubPath}`,
          `key id:      ${kp.keyId}`,
          '',
          'sign evidence:   export EVIDENT_SIGNING_KEY_FILE=' +
            keyPath +
            '   (or --key-file, or EVIDENT_SIGNING_KEY with the PEM text in CI)',
          `verify evidence: evident verify --key ${pubPath}`,
          'Give evident.pub to auditors; it is safe to commit it to the repository.',
          '',
        ].join('\n'),
      );
    });
}
