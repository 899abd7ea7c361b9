import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { loadChecks } from '../../checks/registry.js';
import type { CheckDefinition } from '../../core/check.js';
import { EvidentError } from '../../core/errors.js';
import { FRAMEWORK_IDS, type FrameworkId } from '../../core/framework-id.js';
import { loadCatalog } from '../../frameworks/catalog.js';
import type { RuleSpec } from '../../policy/rule-file.js';
import { loadTeamRules, policyDirsOf } from '../../policy/team.js';

/**
 * Built-in checks plus the team rules of the control map at `config` (default ./evident.yaml when it
 * exists; its `policies:` directories, docs/policies.md), sorted by id.
 */
async function checksWithTeamRules(
  config: string | undefined,
): Promise<{ checks: CheckDefinition[]; team: Set<string> }> {
  const builtIns = await loadChecks();
  const file = resolve(config ?? 'evident.yaml');
  if (!existsSync(file)) {
    if (config) throw new EvidentError('E_CONFIG', `control map ${config} does not exist`, { file: config });
    return { checks: builtIns, team: new Set() };
  }
  const { dirs, explicit } = policyDirsOf(file, readFileSync(file, 'utf8'));
  const team = await loadTeamRules(dirs, { builtIns, required: explicit, checkPaths: false });
  const checks = [...builtIns, ...team.map((t) => t.check)].sort((a, b) => a.id.localeCompare(b.id));
  return { checks, team: new Set(team.map((t) => t.check.id)) };
}

/** JSON metadata of a check: everything but code (and a rule's compiled expressions). */
function metadata(c: CheckDefinition, team: ReadonlySet<string>): Record<string, unknown> {
  const { evaluate: _e, ...meta } = c as CheckDefinition & { rule?: RuleSpec };
  const rule = (meta as { rule?: RuleSpec }).rule;
  delete (meta as { rule?: RuleSpec }).rule;
  return { ...meta, ...(rule ? { ruleFile: rule.file } : {}), origin: team.has(c.id) ? 'team' : 'built-in' };
}

/** `evident checks`: lists built-in checks and team rules with severity and default framework mappings (`--json` for machines). */
export function registerChecksCommand(program: Command): void {
  program
    .command('checks')
    .description('List the built-in checks and team rules with their default framework mappings')
    .option('--json', 'print JSON')
    .option(
      '-c, --config <file>',
      'control map whose policies: directories hold team rules (default ./evident.yaml)',
    )
    .action(async (o: { json?: boolean; config?: string }) => {
      const { checks, team } = await checksWithTeamRules(o.config);
      if (o.json) {
        const rows = checks.map((c) => metadata(c, team));
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      for (const c of checks) {
        const origin = team.has(c.id) ? pc.cyan(' (team)') : '';
        process.stdout.write(`${pc.bold(c.id)}${origin}  ${pc.dim(`[${c.severity}]`)}  ${c.title}\n`);
        for (const fw of FRAMEWORK_IDS) {
          const ids = c.mappings[fw];
          if (ids?.length) process.stdout.write(`    ${fw.padEnd(14)} ${ids.join(', ')}\n`);
        }
      }
      process.stdout.write(`\n${checks.length} checks${team.size ? ` (${team.size} team rules)` : ''}\n`);
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
