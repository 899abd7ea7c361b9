// Parses and validates one rule file (docs/policies.md "The rule format"): YAML with positions
// (`yaml`), shape with zod, every CEL expression parsed, type-checked and compiled. Every problem is
// reported with file:line:column and, where one is close, a suggestion.
import { Document, isMap, isScalar, LineCounter, type Node } from 'yaml';
import { z } from 'zod';
import { type CompiledExpression, compileExpression, isProblem } from '../cel/environment.js';
import { didYouMean } from '../control-map/suggest.js';
import type { AdversarialClass } from '../core/check.js';
import { FRAMEWORK_IDS, type FrameworkId, type FrameworkMappings } from '../core/framework-id.js';
import { DEFAULT_LIMITS } from '../core/limits.js';
import { SEVERITIES, type Severity } from '../core/outcome.js';
import { type Catalog, loadCatalog } from '../frameworks/catalog.js';
import { CONCERNS } from '../model/concerns.js';
import { parseYamlBounded, type YamlBounds } from '../sources/yaml-bounded.js';
import { checkAttributePaths, schemaPaths } from './attribute-paths.js';
import { lineColumn, scalarOffset } from './positions.js';
import { RuleFileError, type RuleIssue } from './rule-error.js';
import { PLANNED_INPUTS, RULE_INPUTS } from './rule-inputs.js';

/** A CEL expression of a rule, compiled, with a way to locate an offset of it in the rule file. */
export interface RuleExpression extends CompiledExpression {
  /** 1-based line and column in the rule file of offset `offset` of the expression text. */
  locate(offset: number): { line: number; column: number };
}

/** A message template: literal text and `{{ expression }}` parts. */
export type MessageTemplate = readonly (string | RuleExpression)[];

/** One assertion of a rule: all must hold for the subject to pass. */
export interface RuleAssertion {
  /** The name under `assert:` (absent for a single unnamed assertion). */
  name?: string;
  expr: RuleExpression;
  /** Fail message of this assertion (default: the rule's `message`). */
  message?: MessageTemplate;
}

/** A parsed, validated and compiled rule file. */
export interface RuleSpec {
  /** The rule file path as given to the parser (used in messages). */
  file: string;
  id: string;
  aliases?: string[];
  title: string;
  severity: Severity;
  input: string;
  resourceTypes: string[];
  applies?: RuleExpression;
  asserts: RuleAssertion[];
  message: MessageTemplate;
  passMessage?: MessageTemplate;
  rationale: string;
  remediation: string;
  references?: string[];
  mappings: FrameworkMappings;
  trivyEquivalents?: string[];
  /** Adversarial classes the rule's fixtures cover, each with fixture file names (CheckDefinition.adversarial). */
  adversarial?: Partial<Record<AdversarialClass, string[]>>;
  /** Where `id:` is written. */
  line: number;
}

/** The keys a rule file may have, in the order docs/policies.md describes them. */
export const RULE_KEYS = [
  'id',
  'aliases',
  'title',
  'severity',
  'input',
  'resourceTypes',
  'applies',
  'assert',
  'message',
  'passMessage',
  'rationale',
  'remediation',
  'references',
  'mappings',
  'trivyEquivalents',
  'adversarial',
] as const;

const ASSERT_KEYS = ['expr', 'message'];

/** Rule ids: `<domain>.<kebab-slug>` (DESIGN.md). */
export const RULE_ID = /^[a-z0-9]+\.[a-z0-9]+(?:-[a-z0-9]+)*$/;

const sentence = (what: string) =>
  z
    .string({ message: `${what} must be text` })
    .trim()
    .min(10, { message: `${what} must be a real sentence (10 characters or more)` });

const schema = z.object({
  id: z
    .string()
    .regex(RULE_ID, { message: 'id must be <domain>.<kebab-case-slug>, e.g. acme.s3-buckets-tagged' }),
  aliases: z
    .array(z.string().regex(RULE_ID, { message: 'an alias must be <domain>.<kebab-case-slug>' }))
    .optional(),
  title: sentence('title'),
  severity: z.enum(SEVERITIES as [Severity, ...Severity[]], {
    message: `severity must be one of ${SEVERITIES.join(', ')}`,
  }),
  input: z.string(),
  resourceTypes: z.array(z.string().min(1)).min(1, { message: 'resourceTypes lists at least one type' }),
  applies: z.string().optional(),
  assert: z.union([
    z.string(),
    z.record(
      z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'assertion names are kebab-case' }),
      z.union([z.string(), z.object({ expr: z.string(), message: z.string().optional() })]),
    ),
  ]),
  message: z.string().min(1).optional(),
  passMessage: z.string().optional(),
  rationale: sentence('rationale'),
  remediation: sentence('remediation'),
  references: z.array(z.string().regex(/^https:\/\//, { message: 'references are https URLs' })).optional(),
  mappings: z.record(z.string(), z.array(z.string()).min(1)).optional(),
  trivyEquivalents: z.array(z.string()).optional(),
  adversarial: z
    .partialRecord(
      z.enum([
        'spelling',
        'equivalent-values',
        'indirection',
        'ordering',
        'unresolvable',
        'linking',
        'provider-default',
        'invalid-input',
        'coverage',
      ]),
      z.array(z.string()),
    )
    .optional(),
});

/** YAML bounds of a rule file (nesting and alias expansion as for any YAML input; a rule is short). */
const RULE_YAML_BOUNDS: YamlBounds = {
  maxNodes: 100_000,
  maxDepth: DEFAULT_LIMITS['nesting-depth'],
  maxExpandedBytes: 16 * 1024 * 1024,
};

/** Options of {@link parseRuleText}. */
export interface ParseRuleOptions {
  /** Framework catalogs for `mappings` (default: the built-in catalogs). */
  catalogs?: readonly Catalog[];
}

function nodeAt(doc: Document, path: readonly (string | number)[]): Node | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as Node | undefined;
    if (node && typeof node === 'object' && 'range' in node) return node;
  }
  return undefined;
}

function keyNode(doc: Document, path: readonly (string | number)[]): Node | undefined {
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === path.at(-1));
  return (pair?.key as Node | undefined) ?? undefined;
}

/**
 * Parses and validates a rule file's text. `file` names it in messages. Throws {@link RuleFileError}
 * (E_CONFIG) listing every problem: YAML syntax, unknown or misspelt keys, wrong types, unknown
 * severity or input, mappings to unknown frameworks or requirement IDs, and CEL syntax, type,
 * variable and function errors (at the offending character of the expression).
 */
export function parseRuleText(text: string, file: string, opts: ParseRuleOptions = {}): RuleSpec {
  const lc = new LineCounter();
  const issues: RuleIssue[] = [];
  const yaml = parseYamlBounded(
    text,
    { lineCounter: lc, prettyErrors: false, uniqueKeys: true },
    RULE_YAML_BOUNDS,
  );
  if ('hit' in yaml) {
    throw new RuleFileError([
      {
        message: `${yaml.hit.what}; a rule is one short YAML file`,
        line: yaml.hit.line,
        column: yaml.hit.column,
        file,
      },
    ]);
  }
  const [doc = new Document(null), second] = yaml.docs as Document[];
  if (second) {
    throw new RuleFileError([
      {
        message: 'a rule file holds one YAML document (no `---` separator)',
        ...lineColumn(lc, second.range?.[0] ?? 0),
        file,
      },
    ]);
  }
  const at = (node: Node | undefined) =>
    node?.range ? lineColumn(lc, node.range[0]) : { line: 1, column: 1 };
  const fail = (): never => {
    throw new RuleFileError(
      issues
        .sort((a, b) => (a.line ?? 1e9) - (b.line ?? 1e9) || (a.column ?? 0) - (b.column ?? 0))
        .map((i) => ({ ...i, file })),
    );
  };
  if (doc.errors.length) {
    for (const e of doc.errors) {
      issues.push({
        message:
          e.code === 'MULTIPLE_DOCS'
            ? 'a rule file holds one YAML document (no `---` separator)'
            : `YAML syntax error: ${e.message.split('\n')[0]}`,
        ...lineColumn(lc, e.pos[0]),
      });
    }
    fail();
  }
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    issues.push({
      message:
        'a rule file is a YAML map with id, title, severity, input, resourceTypes, assert, message, rationale, remediation',
      line: 1,
      column: 1,
    });
    fail();
  }
  const raw = data as Record<string, unknown>;
  const suggested = new Set<string>();
  for (const key of Object.keys(raw)) {
    if (!(RULE_KEYS as readonly string[]).includes(key)) {
      for (const k of RULE_KEYS) if (didYouMean(key, [k])) suggested.add(k);
      issues.push({
        message: `unknown field '${key}'.${didYouMean(key, RULE_KEYS) || ` A rule has ${RULE_KEYS.join(', ')}.`}`,
        ...at(keyNode(doc, [key])),
      });
    }
  }
  if (raw.assert && typeof raw.assert === 'object' && !Array.isArray(raw.assert)) {
    for (const [name, a] of Object.entries(raw.assert as Record<string, unknown>)) {
      if (a && typeof a === 'object' && !Array.isArray(a))
        for (const key of Object.keys(a))
          if (!ASSERT_KEYS.includes(key))
            issues.push({
              message: `unknown field '${key}' in assertion '${name}'.${didYouMean(key, ASSERT_KEYS) || ' An assertion has expr and message.'}`,
              ...at(keyNode(doc, ['assert', name, key])),
            });
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const path = i.path.filter((p): p is string | number => typeof p !== 'symbol');
      const missing = i.code === 'invalid_type' && (i as { input?: unknown }).input === undefined;
      if (missing && path.length === 1 && suggested.has(String(path[0]))) continue; // the misspelt key says it
      issues.push(
        missing
          ? { message: `missing required field '${path.join('.')}'` }
          : { message: `${path.join('.') || 'rule'}: ${i.message}`, ...at(nodeAt(doc, path)) },
      );
    }
  }
  const inputName = typeof raw.input === 'string' ? raw.input : undefined;
  const input = inputName !== undefined ? RULE_INPUTS[inputName] : undefined;
  if (inputName !== undefined && !input) {
    const planned = PLANNED_INPUTS.includes(inputName) ? ` No source reads ${inputName} yet.` : '';
    issues.push({
      message: `unknown input '${inputName}'.${planned}${didYouMean(inputName, Object.keys(RULE_INPUTS)) || ''} Inputs: ${Object.keys(RULE_INPUTS).join(', ')}.`,
      ...at(nodeAt(doc, ['input'])),
    });
  }
  if (input && Array.isArray(raw.resourceTypes)) {
    raw.resourceTypes.forEach((t: unknown, i: number) => {
      if (typeof t === 'string' && t.startsWith('@') && !input.typeAliases?.[t])
        issues.push({
          message: `unknown type alias '${t}'.${didYouMean(t, Object.keys(input.typeAliases ?? {})) || ''} ${input.typesDoc}.`,
          ...at(nodeAt(doc, ['resourceTypes', i])),
        });
      const known = input.knownTypes?.();
      if (typeof t === 'string' && !t.startsWith('@') && known && !known.includes(t))
        issues.push({
          message: `unknown ${input.id} type '${t}'.${didYouMean(t, new Set(known)) || ''} ${input.typesDoc}.`,
          ...at(nodeAt(doc, ['resourceTypes', i])),
        });
    });
  }
  const rawMappings =
    raw.mappings && typeof raw.mappings === 'object' && !Array.isArray(raw.mappings)
      ? (Object.entries(raw.mappings).filter(([, ids]) => Array.isArray(ids)) as [string, unknown[]][])
      : [];
  const catalogs = new Map(
    (opts.catalogs ?? FRAMEWORK_IDS.map((id) => loadCatalog(id))).map((c) => [c.id, c]),
  );
  for (const [fw, anyIds] of rawMappings) {
    const ids = anyIds.map(String);
    const cat = catalogs.get(fw as FrameworkId);
    if (!cat) {
      issues.push({
        message: `mappings: unknown framework '${fw}'; use one of ${FRAMEWORK_IDS.join(', ')}.${didYouMean(fw, FRAMEWORK_IDS)}`,
        ...at(keyNode(doc, ['mappings', fw])),
      });
      continue;
    }
    ids.forEach((id, i) => {
      if (!cat.byId.has(id))
        issues.push({
          message: `mappings.${fw}: '${id}' is not a ${fw} requirement ID.${didYouMean(id, cat.byId.keys()) || ` Run \`evident frameworks ${fw}\` for the list.`}`,
          ...at(nodeAt(doc, ['mappings', fw, i])),
        });
    });
    if (new Set(ids).size !== ids.length)
      issues.push({
        message: `mappings.${fw} lists a requirement twice`,
        ...at(nodeAt(doc, ['mappings', fw])),
      });
  }

  if (!parsed.success) fail();
  const v = parsed.data!;
  const inputId = input?.id ?? 'terraform';
  const expression = (
    path: (string | number)[],
    source: string,
    expect?: 'bool',
  ): RuleExpression | undefined => {
    const node = nodeAt(doc, path);
    const locate = (offset: number) => lineColumn(lc, node ? scalarOffset(node, offset, text) : 0);
    const c = compileExpression(source, inputId, expect);
    if (isProblem(c)) {
      issues.push({ message: `${path.join('.')}: ${c.message}`, ...locate(c.start) });
      return undefined;
    }
    return { ...c, locate };
  };
  const template = (path: (string | number)[], source: string): MessageTemplate => {
    const parts: (string | RuleExpression)[] = [];
    let last = 0;
    for (const m of source.matchAll(/\{\{(.*?)\}\}/gs)) {
      parts.push(source.slice(last, m.index));
      const inner = m[1]!;
      const node = nodeAt(doc, path);
      const base = m.index + 2;
      const c = compileExpression(inner.trim(), inputId);
      const lead = inner.length - inner.trimStart().length;
      const locate = (offset: number) =>
        lineColumn(lc, node ? scalarOffset(node, base + lead + offset, text) : 0);
      if (isProblem(c))
        issues.push({ message: `${path.join('.')}: in {{ }}: ${c.message}`, ...locate(c.start) });
      else parts.push({ ...c, locate });
      last = m.index + m[0].length;
    }
    parts.push(source.slice(last));
    if (/\{\{|\}\}/.test(parts.filter((p) => typeof p === 'string').join('')))
      issues.push({ message: `${path.join('.')}: unbalanced {{ }}`, ...at(nodeAt(doc, path)) });
    return parts.filter((p) => p !== '');
  };

  const applies = v.applies !== undefined ? expression(['applies'], v.applies, 'bool') : undefined;
  const asserts: RuleAssertion[] = [];
  if (typeof v.assert === 'string') {
    const expr = expression(['assert'], v.assert, 'bool');
    if (expr) asserts.push({ expr });
  } else {
    const entries = Object.entries(v.assert);
    if (entries.length === 0)
      issues.push({ message: 'assert names at least one assertion', ...at(nodeAt(doc, ['assert'])) });
    for (const [name, a] of entries) {
      const source = typeof a === 'string' ? a : a.expr;
      const expr = expression(
        typeof a === 'string' ? ['assert', name] : ['assert', name, 'expr'],
        source,
        'bool',
      );
      const message =
        typeof a === 'string' || a.message === undefined
          ? undefined
          : template(['assert', name, 'message'], a.message);
      if (expr) asserts.push({ name, expr, ...(message ? { message } : {}) });
    }
  }
  const message = v.message !== undefined ? template(['message'], v.message) : [];
  if (v.message === undefined && asserts.some((x) => !x.message))
    issues.push({
      message:
        "missing required field 'message' (the fail message; it may be left out only when every assertion has its own message)",
      line: 1,
      column: 1,
    });
  const passMessage = v.passMessage !== undefined ? template(['passMessage'], v.passMessage) : undefined;
  if (issues.length) fail();

  const spec: RuleSpec = {
    file,
    id: v.id,
    title: v.title,
    severity: v.severity,
    input: v.input,
    resourceTypes: v.resourceTypes,
    asserts,
    message,
    rationale: v.rationale,
    remediation: v.remediation,
    mappings: (v.mappings ?? {}) as FrameworkMappings,
    line: at(nodeAt(doc, ['id'])).line,
  };
  if (v.aliases) spec.aliases = v.aliases;
  if (applies) spec.applies = applies;
  if (passMessage) spec.passMessage = passMessage;
  if (v.references) spec.references = v.references;
  if (v.trivyEquivalents) spec.trivyEquivalents = v.trivyEquivalents;
  if (v.adversarial) spec.adversarial = v.adversarial;
  if (input?.id === 'model') {
    // The model's schema is known: a path no concern of the rule has is an error now, not a silent pass.
    issues.push(...checkAttributePaths(spec, v.resourceTypes, schemaPaths(CONCERNS), 'schema'));
    if (issues.length) fail();
  }
  return spec;
}
