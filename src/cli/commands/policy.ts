import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { loadChecks } from '../../checks/registry.js';
import { EvidentError } from '../../core/errors.js';
import { testRule } from '../../policy/policy-test.js';
import { scaffold, writeScaffold } from '../../policy/scaffold.js';
import { DEFAULT_POLICY_DIR, loadTeamRules, policyDirsOf, RESERVED_DOMAINS } from '../../policy/team.js';

const display = (p: string) => relative(process.cwd(), p).split('\\').join('/') || '.';

/**
 * The policies directories to work on: `dir` when given; else those evident.yaml (`--config`, default
 * ./evident.yaml) names; else ./policy. Throws E_USAGE when there is none.
 */
function policyDirs(
  dir: string | undefined,
  config: string | undefined,
): { dirs: string[]; required: boolean } {
  if (dir) return { dirs: [resolve(dir)], required: true };
  const cfg = resolve(config ?? 'evident.yaml');
  if (existsSync(cfg)) {
    const { dirs, explicit } = policyDirsOf(cfg, readFileSync(cfg, 'utf8'));
    if (dirs.length) return { dirs, required: explicit };
  }
  if (existsSync(DEFAULT_POLICY_DIR)) return { dirs: [resolve(DEFAULT_POLICY_DIR)], required: true };
  throw new EvidentError(
    'E_USAGE',
    'no policies directory: pass one (evident policy test DIR), list it under policies: in evident.yaml, or create ./policy',
    {
      hint: 'evident policy new acme.my-rule --input terraform --type aws_s3_bucket scaffolds one',
    },
  );
}

/** `evident policy test [DIR]` and `evident policy new ID`: team rules as code. */
export function registerPolicyCommand(program: Command): void {
  const policy = program
    .command('policy')
    .description('Write and test team policies (rule files in policy/)');

  policy
    .command('test')
    .description(
      "Run every team rule's pass-/fail-/unknown-/na- fixtures; exit 0 all agree, 1 some disagree, 2 invalid rules",
    )
    .argument('[dir]', 'policies directory (default: policies: of evident.yaml, else ./policy)')
    .option('-c, --config <file>', 'control map naming the policies directories', 'evident.yaml')
    .action(async (dir: string | undefined, o: { config?: string }) => {
      const { dirs, required } = policyDirs(dir, o.config);
      const rules = await loadTeamRules(dirs, { builtIns: await loadChecks(), required });
      let failed = 0;
      for (const rule of rules) {
        const r = await testRule(rule, display);
        if (!r.ok) failed++;
        const mark = r.ok ? pc.green('✓') : pc.red('✗');
        process.stdout.write(
          `${mark} ${pc.bold(r.id)}  ${pc.dim(`${r.file}, ${r.fixtures.length} fixture${r.fixtures.length === 1 ? '' : 's'}`)}\n`,
        );
        for (const p of r.problems) process.stdout.write(`    ${p}\n`);
        for (const f of r.fixtures) {
          if (f.ok) continue;
          for (const p of f.problems) process.stdout.write(`    ${pc.red('✗')} ${f.fixture}: ${p}\n`);
        }
      }
      if (rules.length === 0) process.stdout.write(`no rule files in ${dirs.map(display).join(', ')}\n`);
      process.stdout.write(`\n${rules.length - failed} passed, ${failed} failed\n`);
      process.exitCode = failed > 0 ? 1 : 0;
    });

  policy
    .command('new')
    .description(
      'Write a team rule and a pass and a fail fixture that `evident policy test` accepts as they are',
    )
    .argument(
      '<id>',
      `rule id, <your-prefix>.<kebab-slug> (reserved prefixes: ${RESERVED_DOMAINS.slice(0, 6).join(', ')}, ...)`,
    )
    .requiredOption('--input <input>', 'terraform or kubernetes')
    .requiredOption('--type <type>', 'resource type (aws_s3_bucket) or Kubernetes kind (Deployment)')
    .option('--dir <dir>', 'policies directory', DEFAULT_POLICY_DIR)
    .action((id: string, o: { input: string; type: string; dir: string }) => {
      const domain = id.split('.')[0] ?? '';
      if (RESERVED_DOMAINS.includes(domain))
        throw new EvidentError(
          'E_USAGE',
          `the '${domain}.' prefix is reserved for built-in rules; use your own, e.g. acme.${id.split('.').slice(1).join('.')}`,
        );
      const s = scaffold({ id, input: o.input, type: o.type });
      const paths = writeScaffold(s, join(o.dir, `${id}.yaml`), join(o.dir, id));
      for (const p of paths) process.stdout.write(`wrote ${display(resolve(p))}\n`);
      process.stdout.write(
        `\nNext: edit the assertion and fixtures, then run \`evident policy test ${o.dir}\`.\nList '${o.dir}' under policies: in evident.yaml (the default is policy/) and reference ${id} from a control.\n`,
      );
    });
}
