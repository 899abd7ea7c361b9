import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadChecks } from '../../checks/registry.js';
import { renderStarterYaml } from '../../control-map/index.js';
import { EvidentError } from '../../core/errors.js';
import { displayPath } from '../evidence-hook.js';
import { exitCodesHelp, USAGE_ERROR } from '../help.js';

/**
 * `evident init [DIR]`: writes a starter DIR/evident.yaml covering every built-in check. DIR must exist; an
 * existing evident.yaml is never replaced unless --force (hints never suggest it: it discards the user's map).
 */
export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description(
      'Write a starter evident.yaml that maps every built-in check to SOC 2, ISO 27001, HIPAA and GDPR',
    )
    .argument('[dir]', 'existing directory to write evident.yaml into (the root of your repository)', '.')
    .option('--force', 'overwrite an existing evident.yaml (its controls, waivers and edits are lost)')
    .addHelpText(
      'after',
      exitCodesHelp({ 0: 'written', 2: `${USAGE_ERROR}: DIR missing, or evident.yaml already there` }),
    )
    .action(async (dir: string, o: { force?: boolean }) => {
      const abs = resolve(dir);
      let isDir = false;
      try {
        isDir = statSync(abs).isDirectory();
      } catch {
        isDir = false;
      }
      if (!isDir) {
        throw new EvidentError(
          'E_USAGE',
          existsSync(abs)
            ? `${dir} is not a directory; nothing was written`
            : `${dir} does not exist; nothing was written`,
          {
            hint: `pass the root of your repository (evident init writes DIR/evident.yaml), or create it first: mkdir -p ${dir}`,
          },
        );
      }
      const file = join(abs, 'evident.yaml');
      if (existsSync(file) && !o.force) {
        throw new EvidentError('E_USAGE', `${displayPath(file)} already exists; nothing was written`, {
          hint: 'edit it (reference: docs/evident-yaml.md); to compare it with the starter map, run `evident init` into an empty directory',
        });
      }
      const checks = await loadChecks();
      writeFileSync(file, renderStarterYaml(checks));
      process.stdout.write(
        `wrote ${displayPath(file)}: ${checks.length} checks in the starter controls. Edit the controls and waivers, then run 'evident scan'.\n` +
          `Evidence of each scan goes to ${displayPath(join(abs, '.evident', 'ledger'))} (not committed; see 'evident keygen' to sign it).\n`,
      );
    });
}
