import { Command, CommanderError } from 'commander';
import pc from 'picocolors';
import { EvidentError } from '../core/errors.js';
import { VERSION } from '../core/version.js';
import { exitCodesHelp } from './help.js';
import { guardStdout } from './output.js';

type Register = (program: Command) => void;

/**
 * Exit codes of every command (documented in `--help` and README): a CI job tells "a control or
 * check failed" (1) from "the input could not be read" (2) from "Evident itself failed" (3).
 */
export const EXIT_CODES = {
  ok: 0,
  failed: 1,
  input: 2,
  internal: 3,
} as const;

/**
 * Command modules, loaded on demand: `evident scan` does not pay for loading the bundle exporter's
 * archive and CSV libraries, and `evident --version` loads none of them.
 */
const COMMANDS: Record<string, () => Promise<Register[]>> = {
  scan: async () => [(await import('./commands/scan.js')).registerScanCommand],
  init: async () => [(await import('./commands/init.js')).registerInitCommand],
  checks: async () => [(await import('./commands/catalog.js')).registerChecksCommand],
  frameworks: async () => [(await import('./commands/catalog.js')).registerFrameworksCommand],
  keygen: async () => [(await import('./commands/keygen.js')).registerKeygenCommand],
  evidence: async () => [(await import('./commands/evidence.js')).registerEvidenceCommand],
  verify: async () => [(await import('./commands/verify.js')).registerVerifyCommand],
  export: async () => [(await import('./commands/export.js')).registerExportCommand],
  policy: async () => [(await import('./commands/policy.js')).registerPolicyCommand],
  admission: async () => [(await import('./commands/admission.js')).registerAdmissionCommand],
  attest: async () => [(await import('./commands/attest.js')).registerAttestCommands],
  'verify-attestation': async () => [(await import('./commands/attest.js')).registerAttestCommands],
  ...Object.fromEntries(
    ['serve', 'worker', 'push', 'reindex', 'user', 'repo', 'log'].map((name) => [
      name,
      async () => [(await import('./commands/server.js')).registerServerCommands],
    ]),
  ),
};

/**
 * Builds the `evident` command tree. With `only` naming a known command, just that command is
 * registered (fast start), with `''` none (for --version); otherwise (help, unknown command) all are. Exported for tests.
 */
export async function buildProgram(only?: string): Promise<Command> {
  const program = new Command('evident')
    .description('Compliance as code: policy checks, control map, signed evidence')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `${exitCodesHelp({
        0: 'nothing failed',
        1: 'a check, control or verification failed',
        2: 'usage, configuration or input error (the message says what to change); it outranks 1: an incomplete scan is never reported clean, and its findings are still in the report',
      })}\nRun 'evident help COMMAND' or 'evident COMMAND --help' for a command's options and exit codes.\n`,
    )
    .exitOverride();
  const names = only === '' ? [] : only && only in COMMANDS ? [only] : Object.keys(COMMANDS);
  const done = new Set<Register>();
  for (const name of names) {
    for (const register of await (COMMANDS[name] as () => Promise<Register[]>)()) {
      if (!done.has(register)) register(program);
      done.add(register);
    }
  }
  const override = (cmd: Command): void => {
    cmd.exitOverride();
    for (const sub of cmd.commands) override(sub);
  };
  for (const cmd of program.commands) override(cmd);
  return program;
}

/**
 * CLI entry point: parses `argv` (process.argv shape), runs the command, and returns the exit code
 * ({@link EXIT_CODES}): the command's own (scan: 0/1/2), 2 for usage, configuration or input errors,
 * 1 for a failed verification, 3 for internal errors (unexpected exceptions, reported without a stack
 * trace unless EVIDENT_DEBUG is set), so CI never mistakes a crash for findings.
 */
export async function main(argv: string[]): Promise<number> {
  guardStdout();
  const first = argv[2];
  const wantsVersion = first === '--version' || first === '-V';
  // Start the Terraform parse worker now: its tree-sitter start-up overlaps loading the scan command.
  if (first === 'scan') void import('../sources/terraform/parse-pool.js').then((m) => m.warmParseWorker());
  try {
    const program = await buildProgram(wantsVersion ? '' : first);
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    const { code, message } = reportError(err);
    if (message) process.stderr.write(message);
    return code;
  }
}

/**
 * The exit code ({@link EXIT_CODES}) and stderr text for an error that ended a command: commander
 * errors (usage 2; help and version 0, already printed), EvidentError (its code: E_VERIFY 1,
 * E_INTERNAL 3, others 2), file-system errors (2), anything else is an internal error (3, without a
 * stack trace unless EVIDENT_DEBUG is set).
 */
export function reportError(err: unknown): { code: number; message: string } {
  if (err instanceof CommanderError)
    return { code: err.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.input, message: '' };
  if (err instanceof EvidentError) {
    return {
      code:
        err.code === 'E_INTERNAL'
          ? EXIT_CODES.internal
          : err.code === 'E_VERIFY'
            ? EXIT_CODES.failed
            : EXIT_CODES.input,
      message: `${pc.red('error')} [${err.code}] ${err.describe()}\n`,
    };
  }
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string' && e.syscall) {
    return { code: EXIT_CODES.input, message: `${pc.red('error')} [E_IO] ${e.message}\n` };
  }
  return { code: EXIT_CODES.internal, message: internalErrorText(err) };
}

function internalErrorText(err: unknown): string {
  const e = err as Error | undefined;
  return `${pc.red('internal error')}: ${e?.message ?? String(err)}\n${
    process.env.EVIDENT_DEBUG
      ? `${e?.stack}\n`
      : 'set EVIDENT_DEBUG=1 for the stack trace and please report it\n'
  }`;
}

/**
 * Makes an exception or promise rejection that escapes {@link main} (a bug in background work) exit
 * with {@link EXIT_CODES}.internal instead of Node's default 1, which CI would read as "findings".
 */
export function installCrashHandlers(): void {
  const crash = (err: unknown) => {
    process.stderr.write(internalErrorText(err));
    process.exit(EXIT_CODES.internal);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
}
