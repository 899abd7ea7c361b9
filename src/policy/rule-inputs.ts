// The inputs a rule may declare (`input:`) and how each turns facts into rule subjects: the value
// bound to `resource`, the address, type and provider, and how a path inside `resource` is located.

import { RuleHost } from '../cel/host.js';
import type { CheckContext, Subject } from '../core/check.js';
import { subjectOf } from '../core/check.js';
import type { Facts, KubernetesObject, TerraformResource } from '../core/facts.js';
import type { SourceLocation } from '../core/location.js';
import type { ConcernId } from '../model/concerns.js';
import { CONCERNS } from '../model/concerns.js';
import type { ModelObjectBase } from '../model/schema.js';
import { view } from '../model/view.js';
import { POD_SPEC_PATHS } from '../sources/kubernetes/load-kubernetes.js';

/** One subject a rule judges, with its CEL variables. */
export interface RuleSubject {
  subject: Subject;
  resource: unknown;
  address: string;
  resourceType: string;
  provider: string;
  host: RuleHost;
  /** Location of a path inside `resource` (`['versioning', 0, 'enabled']`); the longest located prefix, else the subject. */
  locate(path: readonly (string | number)[]): SourceLocation;
}

/**
 * A rule input (docs/policies.md "Inputs"): the facts family it reads and its subjects. Adding an
 * input (CloudFormation, Dockerfile) is one entry here; `model` reads the concern-typed model, so
 * one rule judges every input whose adapters feed the concern.
 */
export interface RuleInput {
  id: string;
  /** What `resource` is, for docs. */
  resourceDoc: string;
  /** What `resourceTypes` lists, for docs and errors. */
  typesDoc: string;
  /** Aliases accepted in `resourceTypes` (`@workloads`), expanded to types. */
  typeAliases?: Record<string, readonly string[]>;
  /** Every type the input has, when it is a closed set (model concerns): others are configuration errors. */
  knownTypes?: () => readonly string[];
  /** The facts of the given (expanded) types, in facts order. */
  subjects(facts: Facts, ctx: CheckContext, types: ReadonlySet<string>): Iterable<RuleSubject>;
}

function terraformSubject(r: TerraformResource, ctx: CheckContext): RuleSubject {
  const host = new RuleHost(ctx, r);
  host.addRoot(r.attributes, 'resource');
  return {
    subject: subjectOf(r),
    resource: r.attributes,
    address: r.address,
    resourceType: r.mode === 'data' ? `data.${r.type}` : r.type,
    provider: r.provider ?? r.type.split('_')[0]!,
    host,
    locate(path) {
      for (let n = path.length; n > 0; n--) {
        const loc = r.attributeLocations[path.slice(0, n).join('.')];
        if (loc) return loc;
      }
      return r.location;
    },
  };
}

function kubernetesSubject(o: KubernetesObject, ctx: CheckContext): RuleSubject {
  const host = new RuleHost(ctx, undefined, o);
  host.addRoot(o.manifest, 'resource');
  return {
    subject: subjectOf(o),
    resource: o.manifest,
    address: o.address,
    resourceType: o.objectKind,
    provider: o.apiVersion,
    host,
    locate: (path) => o.locate(path),
  };
}

/**
 * A model object as a rule subject: `resource` is its view (src/model/view.ts: known values, the
 * Unresolved marker for unknown ones, defaults for absent ones), located by the object's `locate`.
 */
function modelSubject(obj: ModelObjectBase, ctx: CheckContext): RuleSubject {
  const resource = view(obj);
  const host = new RuleHost(ctx);
  host.addRoot(resource, 'resource');
  return {
    subject: obj.subject,
    resource,
    address: obj.subject.address,
    resourceType: obj.subject.type,
    provider: obj.subject.kind,
    host,
    locate: (path) => obj.locate(path),
  };
}

/** Every rule input, by id. */
export const RULE_INPUTS: Readonly<Record<string, RuleInput>> = {
  model: {
    id: 'model',
    resourceDoc:
      'the normalised object of the concern (docs/model.md): provider-neutral field names, companions linked, defaults applied; a value not known statically is unknown',
    typesDoc: 'model concerns (`aws.s3.buckets`, `k8s.workloads`; docs/model.md)',
    knownTypes: () => CONCERNS.map((c) => c.id),
    *subjects(_facts, ctx, types) {
      for (const concern of types)
        for (const obj of ctx.model.get(concern as ConcernId)) yield modelSubject(obj, ctx);
    },
  },
  terraform: {
    id: 'terraform',
    resourceDoc:
      'the resource attributes in plan-JSON shape (nested blocks are lists of objects: `resource.versioning[0].enabled`), from HCL and plan JSON alike',
    typesDoc: 'Terraform resource types (`aws_s3_bucket`), `data.TYPE` for data sources',
    *subjects(_facts, ctx, types) {
      for (const type of types) for (const r of ctx.terraform.ofType(type)) yield terraformSubject(r, ctx);
    },
  },
  kubernetes: {
    id: 'kubernetes',
    resourceDoc: 'the manifest as parsed (`resource.spec.template.spec.containers`)',
    typesDoc: 'Kubernetes kinds (`Deployment`), or `@workloads` for every kind with a pod spec',
    typeAliases: { '@workloads': Object.keys(POD_SPEC_PATHS) },
    *subjects(facts, ctx, types) {
      for (const o of facts.kubernetes) if (types.has(o.objectKind)) yield kubernetesSubject(o, ctx);
    },
  },
};

/** The input ids the issue names that no source reads yet (rules naming them are rejected with this note). */
export const PLANNED_INPUTS: readonly string[] = ['cloudformation', 'dockerfile'];

/** `resourceTypes` with aliases expanded, de-duplicated. */
export function expandTypes(input: RuleInput, types: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const t of types) for (const x of input.typeAliases?.[t] ?? [t]) out.add(x);
  return out;
}
