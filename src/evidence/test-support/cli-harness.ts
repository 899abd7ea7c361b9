/**
 * Test harness: runs Evident's evidence commands (keygen, verify, evidence) in-process-free, as a child
 * `node --import tsx cli-harness.ts ARGS…`, printing EvidentErrors as `error [CODE] message` and exiting 2 like the
 * real CLI. Used by the CLI tests; not part of the product.
 */
import { Command, CommanderError } from 'commander';
import { registerEvidenceCommand } from '../../cli/commands/evidence.js';
import { registerKeygenCommand } from '../../cli/commands/keygen.js';
import { registerVerifyCommand } from '../../cli/commands/verify.js';
import { EvidentError } from '../../core/errors.js';

const program = new Command('evident').exitOverride();
registerKeygenCommand(program);
registerVerifyCommand(program);
registerEvidenceCommand(program);
for (const c of program.commands) c.exitOverride();
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof EvidentError) {
    process.stderr.write(`error [${err.code}] ${err.describe()}\n`);
    process.exitCode = err.code === 'E_VERIFY' ? 1 : 2;
  } else if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else {
    process.stderr.write(`internal error: ${(err as Error).stack}\n`);
    process.exitCode = 1;
  }
}
