// Test helpers: evaluate a rule expression over a hand-made resource, the way rule-check.ts does.
import type { CheckContext } from '../core/check.js';
import type { KubernetesObject, TerraformResource, TfObject } from '../core/facts.js';
import { createCheckContext } from '../engine/check-context.js';
import { emptyFacts } from '../sources/registry.js';
import { compileExpression, isProblem } from './environment.js';
import { RuleHost } from './host.js';

/** A managed Terraform resource with the given attributes (no locations), for tests. */
export function tfResource(
  type: string,
  name: string,
  attributes: TfObject,
  references: Record<string, string[]> = {},
): TerraformResource {
  return {
    kind: 'terraform',
    mode: 'managed',
    type,
    name,
    address: `${type}.${name}`,
    baseAddress: `${type}.${name}`,
    modulePath: '',
    rootModule: '.',
    attributes,
    references,
    location: { file: 'main.tf', line: 1 },
    attributeLocations: {},
    origin: 'hcl',
  };
}

/**
 * Compiles `expr` (throws on a compile problem, with its message) and evaluates it with `resource`
 * bound to `subject`'s attributes; `others` are further resources of the scan (companions).
 */
export function evalOn(expr: string, subject: TerraformResource, others: TerraformResource[] = []): unknown {
  const c = compileExpression(expr, 'terraform');
  if (isProblem(c)) throw new Error(`${c.message} at ${c.start}`);
  const ctx: CheckContext = createCheckContext(
    { ...emptyFacts(), terraform: [subject, ...others] },
    new Date(0),
  );
  const host = new RuleHost(ctx, subject);
  host.addRoot(subject.attributes, 'resource');
  return c.program({
    vars: {
      resource: subject.attributes,
      address: subject.address,
      resourceType: subject.type,
      provider: 'aws',
    },
    slots: [],
    host,
  });
}

/** Evaluates `expr` over a Kubernetes manifest (`resource`). */
export function evalOnManifest(expr: string, manifest: Record<string, unknown>): unknown {
  const c = compileExpression(expr, 'kubernetes');
  if (isProblem(c)) throw new Error(`${c.message} at ${c.start}`);
  const loc = { file: 'm.yaml', line: 1 };
  const obj: KubernetesObject = {
    kind: 'kubernetes',
    apiVersion: String(manifest.apiVersion ?? 'v1'),
    objectKind: String(manifest.kind ?? ''),
    name: 'x',
    address: `${String(manifest.kind)}/~/x`,
    manifest,
    location: loc,
    locate: () => loc,
  };
  const ctx: CheckContext = createCheckContext({ ...emptyFacts(), kubernetes: [obj] }, new Date(0));
  const host = new RuleHost(ctx, undefined, obj);
  host.addRoot(manifest, 'resource');
  return c.program({
    vars: {
      resource: manifest,
      address: obj.address,
      resourceType: obj.objectKind,
      provider: obj.apiVersion,
    },
    slots: [],
    host,
  });
}
