import type { Command } from 'commander';

/**
 * Exit codes of a command, shown at the end of its `--help` (DESIGN.md "Interfaces users expect":
 * 0 nothing failed, 1 a check, control or verification failed, 2 usage/configuration/input error).
 */
export function exitCodesHelp(lines: { 0: string; 1?: string; 2: string }): string {
  const rows = ([0, 1, 2] as const).filter((k) => lines[k] !== undefined).map((k) => `  ${k}  ${lines[k]}`);
  return `\nExit codes:\n${rows.join('\n')}\n`;
}

/** Appends text after a command's generated `--help`. */
export function helpAfter(cmd: Command, text: string): Command {
  return cmd.addHelpText('after', text);
}

/** The usage-error line every command shares. */
export const USAGE_ERROR = 'usage, configuration or input error (the message says what to change)';

/**
 * Help for `--key-file`, the PRIVATE key. Every command that takes a key says which one it is:
 * `--key-file` signs (private, evident.key), `--key` verifies (public, evident.pub).
 */
export const KEY_FILE_HELP =
  'PRIVATE signing key, PEM (evident.key from `evident keygen`; default $EVIDENT_SIGNING_KEY_FILE, or the PEM text in $EVIDENT_SIGNING_KEY). Not --key, which takes the public key';

/** Help for `--key`, the PUBLIC key. */
export const KEY_HELP =
  'PUBLIC key to verify against, PEM (evident.pub); never trusted from inside a log or bundle. Not --key-file, which takes the private key';

/** Paths note shared by every command's help. */
export const PATHS_NOTE =
  '\nPaths you pass are relative to the current directory. Defaults are in the repository (the directory\n' +
  'holding evident.yaml, else the git work-tree root): the log is .evident/ledger, with its blobs in\n' +
  '.evident/ledger/blobs; bundles go to .evident/exports. Logs and bundles are not committed\n' +
  '(.evident/.gitignore, written by evident, ignores them).\n';
