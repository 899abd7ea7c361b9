// Rejects attribute paths no fixture has (docs/policies.md "Errors"): a rule reading
// `resource.versoning` would otherwise never fail, silently. The attribute names a resource type
// may have are learnt from the rule's own fixtures (plan-JSON fixtures list every attribute of the
// provider schema, HCL fixtures what they set); a value unresolved in a fixture admits any path below it.

import { staticPaths } from '../cel/paths.js';
import { didYouMean } from '../control-map/suggest.js';
import type { Facts, KubernetesObject, TerraformResource } from '../core/facts.js';
import { isUnresolved } from '../core/unresolved.js';
import type { ConcernSchema, FieldSpec, Fields } from '../model/schema.js';
import type { RuleIssue } from './rule-error.js';
import type { RuleExpression, RuleSpec } from './rule-file.js';

/** The attribute paths seen in fixtures (`versioning.*.enabled`), and paths below which anything goes. */
export interface KnownPaths {
  paths: Set<string>;
  open: Set<string>;
}

function emptyKnown(): KnownPaths {
  return { paths: new Set(), open: new Set() };
}

function walk(v: unknown, path: string, k: KnownPaths): void {
  if (isUnresolved(v)) {
    k.open.add(path);
    return;
  }
  if (Array.isArray(v)) {
    const p = path ? `${path}.*` : '*';
    k.paths.add(p);
    for (const x of v) walk(x, p, k);
  } else if (v && typeof v === 'object') {
    for (const [key, x] of Object.entries(v)) {
      const p = path ? `${path}.${key}` : key;
      k.paths.add(p);
      walk(x, p, k);
    }
  }
}

/** Known attribute paths per resource type (`data.TYPE` for data sources) over every fixture's facts. */
export function knownPathsByType(allFacts: readonly Facts[]): Map<string, KnownPaths> {
  const out = new Map<string, KnownPaths>();
  const add = (type: string, value: unknown) => {
    let k = out.get(type);
    if (!k) {
      k = emptyKnown();
      out.set(type, k);
    }
    walk(value, '', k);
  };
  for (const facts of allFacts) {
    for (const r of (facts.terraform ?? []) as TerraformResource[])
      add(r.mode === 'data' ? `data.${r.type}` : r.type, r.attributes);
    for (const o of (facts.kubernetes ?? []) as KubernetesObject[]) add(o.objectKind, o.manifest);
  }
  return out;
}

function merged(known: Map<string, KnownPaths>, types: readonly string[]): KnownPaths | undefined {
  const present = types.map((t) => known.get(t)).filter((k): k is KnownPaths => k !== undefined);
  if (present.length === 0) return undefined;
  return {
    paths: new Set(present.flatMap((k) => [...k.paths])),
    open: new Set(present.flatMap((k) => [...k.open])),
  };
}

function expressions(rule: RuleSpec): RuleExpression[] {
  const out: RuleExpression[] = [];
  if (rule.applies) out.push(rule.applies);
  for (const a of rule.asserts) {
    out.push(a.expr);
    for (const p of a.message ?? []) if (typeof p !== 'string') out.push(p);
  }
  for (const p of [...rule.message, ...(rule.passMessage ?? [])]) if (typeof p !== 'string') out.push(p);
  return out;
}

/**
 * Problems with the attribute paths `rule` reads, given the attributes its fixtures have
 * (`knownPathsByType` of the fixtures' facts) for `types` (the rule's expanded resource types).
 * Paths of a type no fixture has are not checked (nothing is known about it). Each problem is
 * located at the path in the rule file, with the closest known name as a suggestion.
 */
export function checkAttributePaths(
  rule: RuleSpec,
  types: readonly string[],
  known: Map<string, KnownPaths>,
  from: 'fixtures' | 'schema' = 'fixtures',
): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const seen = new Set<string>();
  for (const expr of expressions(rule)) {
    for (const p of staticPaths(expr.ast)) {
      const k = p.root.kind === 'resource' ? merged(known, types) : merged(known, [p.root.type]);
      if (!k) continue;
      const segs = p.segments.slice(0, p.validatedLength).map((s) => (typeof s === 'number' ? '*' : s));
      if (p.root.kind === 'related') segs[0] = '*';
      const relatedList =
        p.root.kind === 'related'
          ? {
              paths: new Set([...k.paths].map((x) => `*.${x}`)),
              open: new Set([...k.open].map((x) => `*.${x}`)),
            }
          : k;
      const kk =
        p.root.kind === 'related'
          ? { paths: new Set(['*', ...relatedList.paths]), open: relatedList.open }
          : k;
      for (let i = 1; i <= segs.length; i++) {
        const prefix = segs.slice(0, i - 1).join('.');
        if ([...kk.open].some((o) => o === prefix || prefix.startsWith(`${o}.`) || o === '')) break;
        const key = segs.slice(0, i).join('.');
        if (kk.paths.has(key)) continue;
        const name = segs[i - 1]!;
        const siblings = [...kk.paths]
          .filter((x) => (prefix ? x.startsWith(`${prefix}.`) : true) && x.split('.').length === i)
          .map((x) => x.split('.')[i - 1]!);
        const where = p.root.kind === 'resource' ? types.join(', ') : p.root.type;
        const id = `${p.root.kind === 'resource' ? '' : p.root.type}:${key}`;
        if (seen.has(id)) break;
        seen.add(id);
        const what =
          name === '*'
            ? `a list at '${prefix}'`
            : `${from === 'schema' ? 'field' : 'attribute'} '${name}'${prefix ? ` under '${prefix}'` : ''}`;
        issues.push({
          message:
            from === 'schema'
              ? `${expr.source.slice(p.start, p.end)}: ${where} has no ${what} (docs/model.md).${didYouMean(name, new Set(siblings)) || ''}`
              : `${expr.source.slice(p.start, p.end)}: no fixture of ${where} has ${what}.${didYouMean(name, new Set(siblings)) || ' Add a fixture that sets it, or fix the name.'}`,
          ...expr.locate(p.start),
        });
        break;
      }
    }
  }
  return issues;
}

/**
 * The field paths of model concerns (`publicAccessBlocks.*.blockPublicAcls`), as {@link KnownPaths}
 * by concern id: the schema is the whole truth, so a rule over the model reading any other path is a
 * configuration error at load time.
 */
export function schemaPaths(concerns: readonly ConcernSchema[]): Map<string, KnownPaths> {
  const out = new Map<string, KnownPaths>();
  const walkFields = (fields: Fields, prefix: string, k: KnownPaths) => {
    for (const [name, spec] of Object.entries(fields)) {
      const p = prefix ? `${prefix}.${name}` : name;
      k.paths.add(p);
      walkSpec(spec, p, k);
    }
  };
  const walkSpec = (spec: FieldSpec, p: string, k: KnownPaths) => {
    if (spec.kind === 'record') walkFields(spec.fields, p, k);
    if (spec.kind === 'list') {
      k.paths.add(`${p}.*`);
      walkSpec(spec.item, `${p}.*`, k);
    }
  };
  for (const c of concerns) {
    const k = emptyKnown();
    walkFields(c.fields, '', k);
    out.set(c.id, k);
  }
  return out;
}
