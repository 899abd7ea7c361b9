import { Command, CommanderError } from 'commander';
import pc from 'picocolors';
import { EvidentError } from '../core/errors.js';
import { VERSION } from '../core/version.js';

type Register = (program: Command) => void;

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
    .exitOverride();
  const names = only === '' ? [] : only && only in COMMANDS ? [only] : Object.keys(COMMANDS);
  const done = new Set<Register>();
  for (const name of names) {
    for (const register of await (COMMANDS[name] as () => Promise<Register[]>)()) {
      if (!done.has(register)) register(program);
      done.add(register);
    }
  }
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

/**
 * CLI entry point: parses `argv` (process.argv shape), runs the command, and returns the exit code:
 * the command's own (scan: 0/1/2), 2 for usage, configuration or input errors, 1 for unexpected errors
 * (reported without a stack trace unless EVIDENT_DEBUG is set).
 */
export async function main(argv: string[]): Promise<number> {
  const first = argv[2];
  const wantsVersion = first === '--version' || first === '-V';
  // Start the Terraform parse worker now: its tree-sitter start-up overlaps loading the scan command.
  if (first === 'scan') void import('../sources/terraform/parse-pool.js').then((m) => m.warmParseWorker());
  try {
    const program = await buildProgram(wantsVersion ? '' : first);
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; usage errors have already been printed by commander
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof EvidentError) {
      process.stderr.write(`${pc.red('error')} [${err.code}] ${err.describe()}\n`);
      return err.code === 'E_INTERNAL' ? 1 : err.code === 'E_VERIFY' ? 1 : 2;
    }
    const e = err as NodeJS.ErrnoException;
    if (e && typeof e.code === 'string' && e.syscall) {
      process.stderr.write(`${pc.red('error')} [E_IO] ${e.message}\n`);
      return 2;
    }
    process.stderr.write(
      `${pc.red('internal error')}: ${e?.message ?? String(err)}\n` +
        (process.env.EVIDENT_DEBUG
          ? `${e?.stack}\n`
          : 'set EVIDENT_DEBUG=1 for the stack trace and please report it\n'),
    );
    return 1;
  }
}
