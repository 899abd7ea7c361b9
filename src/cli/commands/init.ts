import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadChecks } from '../../checks/registry.js';
import { renderStarterYaml } from '../../control-map/index.js';
import { EvidentError } from '../../core/errors.js';

/** `evident init [DIR]`: writes a starter evident.yaml covering every built-in check; refuses to overwrite without --force. */
export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description(
      'Write a starter evident.yaml that maps every built-in check to SOC 2, ISO 27001, HIPAA and GDPR',
    )
    .argument('[dir]', 'directory to write evident.yaml into', '.')
    .option('--force', 'overwrite an existing evident.yaml')
    .action(async (dir: string, o: { force?: boolean }) => {
      const file = join(resolve(dir), 'evident.yaml');
      if (existsSync(file) && !o.force) {
        throw new EvidentError('E_USAGE', `${file} already exists; nothing was written`, {
          hint: 'edit it, or pass --force to replace it with the starter map',
        });
      }
      const checks = await loadChecks();
      writeFileSync(file, renderStarterYaml(checks));
      process.stdout.write(
        `wrote ${file}: ${checks.length} checks in the starter controls. Edit the controls and waivers, then run 'evident scan'.\n`,
      );
    });
}
