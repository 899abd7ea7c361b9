// Scaffolds a new rule with a pass and a fail fixture that hold immediately (`evident policy new`,
// `npm run new:rule`): the example asserts an `owner` tag or label, which the author then replaces.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EvidentError } from '../core/errors.js';
import { RULE_ID } from './rule-file.js';
import { RULE_INPUTS } from './rule-inputs.js';

/** What to scaffold. */
export interface ScaffoldOptions {
  id: string;
  input: string;
  /** Terraform resource type or Kubernetes kind. */
  type: string;
  /** Built-in rules carry default mappings (the conformance test requires them); team rules may leave them to evident.yaml. */
  builtIn?: boolean;
}

/** The files of a scaffolded rule: the rule text and fixtures by file name. */
export interface Scaffold {
  rule: string;
  fixtures: Record<string, string>;
}

/** A YAML single-quoted scalar (CEL strings inside use double quotes). */
const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The rule text and fixtures for `opts` (see the module doc). Throws E_USAGE for a bad id, input or type. */
export function scaffold(opts: ScaffoldOptions): Scaffold {
  if (!RULE_ID.test(opts.id))
    throw new EvidentError(
      'E_USAGE',
      `'${opts.id}' is not a rule id: use <domain>.<kebab-case-slug>, e.g. acme.buckets-have-owner`,
    );
  if (!RULE_INPUTS[opts.input])
    throw new EvidentError(
      'E_USAGE',
      `unknown input '${opts.input}'; use one of ${Object.keys(RULE_INPUTS).join(', ')}`,
    );
  if (!/^(data\.)?[A-Za-z][A-Za-z0-9_]*$/.test(opts.type))
    throw new EvidentError(
      'E_USAGE',
      `'${opts.type}' is not a resource type or kind (e.g. aws_s3_bucket, Deployment)`,
    );
  const tf = opts.input === 'terraform';
  const mappings = opts.builtIn
    ? `mappings:          # default framework mappings (check the catalogs: evident frameworks soc2)
  soc2: [CC6.1]
  iso27001-2022: [A.5.9]
`
    : `# mappings: { soc2: [CC6.1] }   # optional defaults; controls in evident.yaml map team rules too
`;
  const owner = tf ? 'default(resource.tags, {})' : 'default(resource.metadata.labels, {})';
  const rule = `# ${opts.id}: replace the example assertion (an owner ${tf ? 'tag' : 'label'}) with your rule.
# Format, CEL environment and helpers: docs/policies.md. Test it with: evident policy test
id: ${opts.id}
title: ${tf ? `${opts.type} resources carry an owner tag` : `${opts.type} objects carry an owner label`}
severity: medium
input: ${opts.input}
resourceTypes: [${q(opts.type)}]
assert: ${q(`"owner" in ${owner}`)}
message: ${q(`{{ address }} has no owner ${tf ? 'tag' : 'label'}`)}
rationale: >-
  Every resource needs an accountable owner, so that findings, incidents and access reviews reach a
  person (asset ownership).
remediation: >-
  ${tf ? 'Add `tags = { owner = "team-name" }` to the resource.' : 'Add `metadata.labels.owner: team-name` to the object.'}
${mappings}`;
  const name = opts.type.replace(/^data\./, '');
  const fixtures: Record<string, string> = tf
    ? {
        'pass-has-owner.tf': `${opts.type.startsWith('data.') ? 'data' : 'resource'} "${name}" "example" {\n  tags = {\n    owner = "platform-team"\n  }\n}\n`,
        'fail-no-owner.tf': `${opts.type.startsWith('data.') ? 'data' : 'resource'} "${name}" "example" {\n  tags = {\n    team = "platform"\n  }\n}\n`,
      }
    : {
        'pass-has-owner.yaml': `apiVersion: v1\nkind: ${opts.type}\nmetadata:\n  name: example\n  namespace: apps\n  labels:\n    owner: platform-team\n`,
        'fail-no-owner.yaml': `apiVersion: v1\nkind: ${opts.type}\nmetadata:\n  name: example\n  namespace: apps\n  labels:\n    team: platform\n`,
      };
  return { rule, fixtures };
}

/**
 * Writes a scaffold: the rule at `ruleFile`, fixtures in `fixturesDir`. Throws E_USAGE when any of
 * those files exists (nothing is overwritten). Returns the paths written.
 */
export function writeScaffold(s: Scaffold, ruleFile: string, fixturesDir: string): string[] {
  const paths = [ruleFile, ...Object.keys(s.fixtures).map((n) => join(fixturesDir, n))];
  for (const p of paths)
    if (existsSync(p)) throw new EvidentError('E_USAGE', `${p} already exists; nothing was written`);
  mkdirSync(dirname(ruleFile), { recursive: true });
  mkdirSync(fixturesDir, { recursive: true });
  writeFileSync(ruleFile, s.rule);
  for (const [n, text] of Object.entries(s.fixtures)) writeFileSync(join(fixturesDir, n), text);
  return paths;
}
