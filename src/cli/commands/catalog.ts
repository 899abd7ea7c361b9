import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import pc from 'picocolors';
import { loadChecks } from '../../checks/registry.js';
import type { CheckDefinition } from '../../core/check.js';
import { EvidentError } from '../../core/errors.js';
import { FRAMEWORK_IDS, type FrameworkId } from '../../core/framework-id.js';
import { locateRepository } from '../../engine/repository.js';
import { loadCatalog } from '../../frameworks/catalog.js';
import type { RuleSpec } from '../../policy/rule-file.js';
import { loadTeamRules, policyDirsOf } from '../../policy/team.js';
import { exitCodesHelp, USAGE_ERROR } from '../help.js';
import { guardStdout, writeReport } from '../output.js';

const LIST_FORMATS = ['table', 'json'] as const;

/** Options shared by `checks` and `frameworks`: `-f table|json` (`--json` = `-f json`), `-o FILE`. */
interface ListOptions {
  format: (typeof LIST_FORMATS)[number];
  json?: boolean;
  output?: string;
  color: boolean;
}

function addListOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'output format').choices(LIST_FORMATS).default('table'))
    .option('--json', 'same as --format json')
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .option('--no-color', 'disable colours')
    .addHelpText('after', exitCodesHelp({ 0: 'listed', 2: USAGE_ERROR }));
}

function colors(o: ListOptions): ReturnType<typeof pc.createColors> {
  const on = o.color && !o.output && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  return on ? pc : pc.createColors(false);
}

/**
 * Built-in checks plus the team rules of the control map at `config` (default: the current directory's
 * repository map, see locateRepository; its `policies:` directories, docs/policies.md), sorted by id.
 */
async function checksWithTeamRules(
  config: string | undefined,
): Promise<{ checks: CheckDefinition[]; team: Set<string> }> {
  const builtIns = await loadChecks();
  const file = config ? resolve(config) : locateRepository('.').mapFile;
  if (!file || !existsSync(file)) {
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

/**
 * `evident checks [-c MAP] [-f table|json] [-o FILE]`: lists built-in checks and team rules with severity and
 * default framework mappings (`--json` = `-f json`).
 */
export function registerChecksCommand(program: Command): void {
  const cmd = program
    .command('checks')
    .description('List the built-in checks and team rules with their default framework mappings')
    .option(
      '-c, --config <file>',
      "control map whose policies: directories hold team rules (default: the current directory's repository evident.yaml)",
    );
  addListOptions(cmd).action(async (o: ListOptions & { config?: string }) => {
    guardStdout();
    const { checks, team } = await checksWithTeamRules(o.config);
    if (o.json || o.format === 'json') {
      writeReport(
        JSON.stringify(
          checks.map((c) => metadata(c, team)),
          null,
          2,
        ),
        o.output,
        'the check list',
      );
      return;
    }
    const c = colors(o);
    const lines: string[] = [];
    for (const ch of checks) {
      const origin = team.has(ch.id) ? c.cyan(' (team)') : '';
      lines.push(`${c.bold(ch.id)}${origin}  ${c.dim(`[${ch.severity}]`)}  ${ch.title}`);
      for (const fw of FRAMEWORK_IDS) {
        const ids = ch.mappings[fw];
        if (ids?.length) lines.push(`    ${fw.padEnd(14)} ${ids.join(', ')}`);
      }
    }
    lines.push('', `${checks.length} checks${team.size ? ` (${team.size} team rules)` : ''}`);
    writeReport(lines.join('\n'), o.output, 'the check list');
  });
}

/**
 * `evident frameworks [ID] [-f table|json] [-o FILE]`: lists framework catalogs, or one framework's requirements
 * with the checks mapped to each.
 */
export function registerFrameworksCommand(program: Command): void {
  const cmd = program
    .command('frameworks')
    .description('List the built-in frameworks, or the requirements of one with the checks mapped to each')
    .argument('[id]', `framework id (${FRAMEWORK_IDS.join(', ')})`);
  addListOptions(cmd).action(async (id: string | undefined, o: ListOptions) => {
    guardStdout();
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
    if (o.json || o.format === 'json') {
      writeReport(JSON.stringify(out, null, 2), o.output, 'the framework list');
      return;
    }
    const c = colors(o);
    const lines: string[] = [];
    for (const fw of out) {
      const covered = fw.requirements.filter((r) => r.checks.length).length;
      lines.push(
        `${c.bold(fw.id)}  ${fw.name}  ${fw.requirements.length} requirements, ${covered} with built-in checks`,
      );
      if (!id) continue;
      for (const r of fw.requirements) {
        lines.push(
          `  ${r.id.padEnd(22)} ${r.title}${r.checks.length ? c.dim(`  ← ${r.checks.join(', ')}`) : ''}`,
        );
      }
    }
    writeReport(lines.join('\n'), o.output, 'the framework list');
  });
}
