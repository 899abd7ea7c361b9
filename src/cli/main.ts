import { Command, CommanderError } from 'commander';
import pc from 'picocolors';
import { EvidentError } from '../core/errors.js';
import { VERSION } from '../core/version.js';
import { registerChecksCommand, registerFrameworksCommand } from './commands/catalog.js';
import { registerEvidenceCommand } from './commands/evidence.js';
import { registerExportCommand } from './commands/export.js';
import { registerInitCommand } from './commands/init.js';
import { registerKeygenCommand } from './commands/keygen.js';
import { registerScanCommand } from './commands/scan.js';
import { registerVerifyCommand } from './commands/verify.js';

/** Builds the `evident` command tree. Exported for tests. */
export function buildProgram(): Command {
  const program = new Command('evident')
    .description('Compliance as code: policy checks, control map, signed evidence')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerScanCommand(program);
  registerInitCommand(program);
  registerChecksCommand(program);
  registerFrameworksCommand(program);
  registerKeygenCommand(program);
  registerEvidenceCommand(program);
  registerVerifyCommand(program);
  registerExportCommand(program);
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

/**
 * CLI entry point: parses `argv` (process.argv shape), runs the command, and returns the exit code:
 * the command's own (scan: 0/1/2), 2 for usage, configuration or input errors, 1 for unexpected errors
 * (reported without a stack trace unless EVIDENT_DEBUG is set).
 */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
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
