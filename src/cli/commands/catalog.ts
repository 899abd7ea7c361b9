import type { Command } from 'commander';
import pc from 'picocolors';
import { loadChecks } from '../../checks/registry.js';
import { EvidentError } from '../../core/errors.js';
import { FRAMEWORK_IDS, type FrameworkId } from '../../core/framework-id.js';
import { loadCatalog } from '../../frameworks/catalog.js';

/** `evident checks`: lists built-in checks with severity and default framework mappings (`--json` for machines). */
export function registerChecksCommand(program: Command): void {
  program
    .command('checks')
    .description('List the built-in checks and their default framework mappings')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const checks = await loadChecks();
      if (o.json) {
        const rows = checks.map(({ evaluate: _e, ...meta }) => meta);
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      for (const c of checks) {
        process.stdout.write(`${pc.bold(c.id)}  ${pc.dim(`[${c.severity}]`)}  ${c.title}\n`);
        for (const fw of FRAMEWORK_IDS) {
          const ids = c.mappings[fw];
          if (ids?.length) process.stdout.write(`    ${fw.padEnd(14)} ${ids.join(', ')}\n`);
        }
      }
      process.stdout.write(`\n${checks.length} checks\n`);
    });
}

/** `evident frameworks [ID]`: lists framework catalogs, or one framework's requirements with the checks mapped to each. */
export function registerFrameworksCommand(program: Command): void {
  program
    .command('frameworks')
    .description('List the built-in frameworks, or the requirements of one with the checks mapped to each')
    .argument('[id]', `framework id (${FRAMEWORK_IDS.join(', ')})`)
    .option('--json', 'print JSON')
    .action(async (id: string | undefined, o: { json?: boolean }) => {
      const checks = await loadChecks();
      if (id !== undefined && !FRAMEWORK_IDS.includes(id as FrameworkId)) {
        throw new EvidentError('E_USAGE', `unknown framework '${id}'`, {
          hint: `use one of ${FRAMEWORK_IDS.join(', ')}`,
        });
      }
      const ids = id ? [id as FrameworkId] : FRAMEWORK_IDS;
      const out = ids.map((fw) => {
        const cat = loadCatalog(fw);
        return {
          id: fw,
          name: cat.name,
          requirements: cat.requirements.map((r) => ({
            ...r,
            checks: checks.filter((c) => c.mappings[fw]?.includes(r.id)).map((c) => c.id),
          })),
        };
      });
      if (o.json) {
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        return;
      }
      for (const fw of out) {
        const covered = fw.requirements.filter((r) => r.checks.length).length;
        process.stdout.write(
          `${pc.bold(fw.id)}  ${fw.name}  ${fw.requirements.length} requirements, ${covered} with built-in checks\n`,
        );
        if (!id) continue;
        for (const r of fw.requirements) {
          process.stdout.write(
            `  ${r.id.padEnd(22)} ${r.title}${r.checks.length ? pc.dim(`  ← ${r.checks.join(', ')}`) : ''}\n`,
          );
        }
      }
    });
}
