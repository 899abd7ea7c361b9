import path from 'node:path';
import type { CfnObject, CfnValue, CloudFormationResource } from '../../core/facts.js';
import type { SourceLocation } from '../../core/location.js';
import { isUnresolved, Unresolved } from '../../core/unresolved.js';
import { Evaluator } from './evaluate.js';
import { type CfnEntry, type CfnMap, type CfnNode, callOf, describeNode, get } from './node.js';
import { applyGlobals, SAM_TRANSFORM } from './sam.js';
import type { Frame, ParameterDecl, TemplateScope } from './scope.js';
import { NO_VALUE } from './values.js';

/** Top-level sections of a template (CloudFormation "Template anatomy"; `Globals` with SAM). */
const SECTIONS = new Set([
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Rules',
  'Mappings',
  'Conditions',
  'Transform',
  'Resources',
  'Outputs',
  'Hooks',
  'Globals',
]);

/** Resource attributes CloudFormation accepts beside `Type` and `Properties` (`Connectors` with SAM). */
const RESOURCE_ATTRIBUTES = new Set([
  'Type',
  'Properties',
  'Condition',
  'DependsOn',
  'Metadata',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'CreationPolicy',
  'UpdatePolicy',
  'Version',
  'Connectors',
]);

/** Transforms that do not add resources or rewrite the template beyond what this source evaluates. */
const SELF_CONTAINED_TRANSFORMS = new Set(['AWS::LanguageExtensions']);

/** What {@link readTemplate} returns for one template. */
export interface TemplateRead {
  resources: CloudFormationResource[];
  /** Resources whose `Condition` is statically false (not created), by logical id. */
  notCreated: string[];
}

/** A resource entry after `Fn::ForEach` expansion. */
interface ResourceEntry {
  id: string;
  keyLoc: SourceLocation;
  def: CfnNode;
  loop: ReadonlyMap<string, CfnValue>;
}

/**
 * Reads one parsed template into resource facts (see {@link CloudFormationResource}): checks its
 * structure as CloudFormation does (sections are maps, `Resources` is a non-empty map, every resource
 * has a string `Type`, logical ids are alphanumeric and unique, parameters have a `Type`), expands
 * `Fn::ForEach` loops, applies SAM `Globals`, evaluates every condition and every resource's
 * properties. Problems go to `scope.diag`; the caller passes a scope whose `resources` and
 * `generated` this function fills.
 */
export function readTemplate(root: CfnNode, scope: TemplateScope, format: 'yaml' | 'json'): TemplateRead {
  const out: TemplateRead = { resources: [], notCreated: [] };
  if (root.t !== 'map' || callOf(root)) {
    scope.diag('error', `A template is a map of sections, got ${describeNode(root)}: not scanned.`, root.loc);
    return out;
  }
  const transforms = transformNames(get(root, 'Transform'));
  const sam = transforms.includes(SAM_TRANSFORM);
  const macros = transforms.filter((t) => t !== SAM_TRANSFORM && !SELF_CONTAINED_TRANSFORMS.has(t));
  const rain = usesRain(root);
  scope.generated = sam || macros.length > 0 || rain;
  if (rain)
    scope.diag(
      'warning',
      'This template uses rain directives (!Rain::Embed, !Rain::Module, ...): it is a source for `rain pkg`, not a deployable template. Embedded values are unknown and the resources of rain modules are not scanned; scan the packaged template for a complete result.',
      root.loc,
      'E_INPUT_UNSUPPORTED',
    );
  for (const m of macros)
    scope.diag(
      'info',
      `Transform ${m} rewrites the template at deployment: the template is read as written, without the transform's changes.`,
      get(root, 'Transform')?.loc,
      'E_INPUT_UNSUPPORTED',
    );
  const ev = new Evaluator(scope);

  for (const e of root.entries) {
    if (!SECTIONS.has(e.key))
      ev.problem(`Unknown top-level section ${e.key}: CloudFormation rejects the template.`, e.keyLoc);
    else if (e.key === 'Globals' && !sam)
      ev.problem('A Globals section needs Transform AWS::Serverless-2016-10-31.', e.keyLoc);
  }
  const section = (name: string): CfnMap | undefined => {
    const node = get(root, name);
    if (node === undefined || (node.t === 'scalar' && node.value === null)) return undefined;
    if (node.t !== 'map' || (callOf(node) && !node.entries[0]!.key.startsWith('Fn::ForEach::'))) {
      scope.diag('error', `The ${name} section must be a map, got ${describeNode(node)}.`, node.loc);
      return undefined;
    }
    return node;
  };

  for (const e of section('Parameters')?.entries ?? []) {
    const decl = parameterDecl(e, scope);
    if (decl) scope.parameters.set(e.key, decl);
  }
  for (const e of section('Mappings')?.entries ?? []) {
    if (e.value.t !== 'map') scope.diag('error', `Mapping ${e.key} must be a map of maps.`, e.keyLoc);
    scope.mappings.set(e.key, e.value);
  }
  for (const e of section('Conditions')?.entries ?? []) scope.conditions.set(e.key, e);

  const resourcesNode = section('Resources');
  if (!resourcesNode || resourcesNode.entries.length === 0) {
    const written = get(root, 'Resources');
    if (!written || resourcesNode || (written.t === 'scalar' && written.value === null))
      scope.diag(
        'error',
        'The template has no resources: CloudFormation requires at least one in the Resources section.',
        (get(root, 'Resources') ?? root).loc,
      );
    return out;
  }

  const entries = expandEntries(resourcesNode.entries, ev, new Map(), scope);
  const seen = new Set<string>();
  for (const r of entries) {
    if (!/^[A-Za-z0-9*]+$/.test(r.id))
      ev.problem(`Logical id ${r.id} must be alphanumeric (A-Z, a-z, 0-9).`, r.keyLoc);
    if (r.id.includes('*')) scope.generated = true;
    if (seen.has(r.id))
      scope.diag('error', `Duplicate logical id ${r.id}: CloudFormation rejects the template.`, r.keyLoc);
    if (scope.parameters.has(r.id))
      scope.diag('error', `Logical id ${r.id} is both a parameter and a resource.`, r.keyLoc);
    seen.add(r.id);
    scope.resources.add(r.id);
  }
  // Every condition is evaluated, used or not, as CloudFormation validates them all.
  for (const name of scope.conditions.keys()) ev.condition(name, scope.conditions.get(name)!.keyLoc, []);

  // Outputs are not facts, but CloudFormation rejects a template whose outputs reference undeclared
  // names or conditions: evaluate them for their diagnostics only.
  for (const e of section('Outputs')?.entries ?? []) {
    if (e.key.startsWith('Fn::ForEach::') || e.value.t !== 'map') continue;
    const cond = get(e.value, 'Condition');
    if (cond?.t === 'scalar' && typeof cond.value === 'string') ev.condition(cond.value, cond.loc, []);
    for (const n of [get(e.value, 'Value'), get(get(e.value, 'Export'), 'Name')])
      if (n) ev.value(n, { path: '', locs: {}, refs: new Set(), loop: new Map() });
  }

  const globals = sam ? get(root, 'Globals') : undefined;
  for (const r of entries) {
    const fact = readResource(r, ev, scope, { transforms, sam, globals, format }, out);
    if (fact) out.resources.push(fact);
  }
  return out;
}

/** True when the template holds a rain packaging directive (`!Rain::Embed`, `!Rain::Module`, ...). */
function usesRain(node: CfnNode): boolean {
  if (node.t === 'seq') return node.items.some(usesRain);
  if (node.t === 'map') return node.entries.some((e) => e.key.startsWith('Rain::') || usesRain(e.value));
  return false;
}

/** Names in `Transform`: a string, a list of strings, or `{Name, Parameters}` maps (AWS::Include). */
function transformNames(node: CfnNode | undefined): string[] {
  if (!node) return [];
  const items = node.t === 'seq' ? node.items : [node];
  const names: string[] = [];
  for (const i of items) {
    if (i.t === 'scalar' && typeof i.value === 'string') names.push(i.value);
    else {
      const n = get(i, 'Name');
      if (n?.t === 'scalar' && typeof n.value === 'string') names.push(n.value);
    }
  }
  return names;
}

function parameterDecl(e: CfnEntry, scope: TemplateScope): ParameterDecl | undefined {
  const type = get(e.value, 'Type');
  if (e.value.t !== 'map' || type?.t !== 'scalar' || typeof type.value !== 'string') {
    scope.diag(
      'error',
      `Parameter ${e.key} must be a map with a Type: CloudFormation rejects the template.`,
      e.keyLoc,
    );
    return undefined;
  }
  const noEcho = get(e.value, 'NoEcho');
  const decl: ParameterDecl = {
    name: e.key,
    type: type.value,
    noEcho: noEcho?.t === 'scalar' && (noEcho.value === true || noEcho.value === 'true'),
    loc: e.keyLoc,
  };
  const d = get(e.value, 'Default');
  if (d) decl.defaultNode = d;
  return decl;
}

/** Resource entries with `Fn::ForEach::Name: [Identifier, Collection, {KeyTemplate: Resource}]` expanded. */
function expandEntries(
  entries: readonly CfnEntry[],
  ev: Evaluator,
  loop: ReadonlyMap<string, CfnValue>,
  scope: TemplateScope,
): ResourceEntry[] {
  const out: ResourceEntry[] = [];
  const frame = (l: ReadonlyMap<string, CfnValue>): Frame => ({
    path: '',
    locs: {},
    refs: new Set(),
    loop: l,
  });
  for (const e of entries) {
    if (!e.key.startsWith('Fn::ForEach::')) {
      out.push({
        id: loop.size ? ev.substituteKey(e.key, frame(loop)) : e.key,
        keyLoc: e.keyLoc,
        def: e.value,
        loop,
      });
      continue;
    }
    const args = e.value.t === 'seq' ? e.value.items : [];
    const [idNode, collNode, body] = args;
    if (
      args.length !== 3 ||
      idNode?.t !== 'scalar' ||
      typeof idNode.value !== 'string' ||
      body?.t !== 'map'
    ) {
      scope.diag('error', `${e.key} takes [identifier, collection, {output key: resource}].`, e.keyLoc);
      continue;
    }
    const identifier = idNode.value;
    const coll = ev.arg(collNode!, frame(loop));
    if (isUnresolved(coll) || coll === NO_VALUE || !Array.isArray(coll)) {
      const reason = isUnresolved(coll) ? coll.reason : `got ${describeNode(collNode)}`;
      if (!isUnresolved(coll)) scope.diag('error', `${e.key}: the collection must be a list.`, collNode!.loc);
      const u = new Unresolved(`${e.key} collection is not known statically: ${reason}`);
      out.push(...expandEntries(body.entries, ev, new Map([...loop, [identifier, u]]), scope));
      continue;
    }
    for (const item of coll) {
      if (typeof item !== 'string' && typeof item !== 'number') {
        scope.diag('error', `${e.key}: collection items must be strings.`, collNode!.loc);
        continue;
      }
      out.push(...expandEntries(body.entries, ev, new Map([...loop, [identifier, String(item)]]), scope));
    }
  }
  return out;
}

interface TemplateInfo {
  transforms: string[];
  sam: boolean;
  globals: CfnNode | undefined;
  format: 'yaml' | 'json';
}

function readResource(
  r: ResourceEntry,
  ev: Evaluator,
  scope: TemplateScope,
  info: TemplateInfo,
  out: TemplateRead,
): CloudFormationResource | undefined {
  const { def, id } = r;
  if (def.t !== 'map' || callOf(def)) {
    scope.diag(
      'error',
      `Resource ${id} must be a map with a Type, got ${describeNode(def)}: not scanned.`,
      r.keyLoc,
    );
    return undefined;
  }
  const typeNode = get(def, 'Type');
  if (!typeNode) {
    scope.diag('error', `Resource ${id} has no Type: CloudFormation rejects the template.`, r.keyLoc);
    return undefined;
  }
  if (typeNode.t !== 'scalar' || typeof typeNode.value !== 'string') {
    const call = callOf(typeNode);
    if (call?.name.startsWith('Rain::'))
      scope.diag(
        'warning',
        `Resource ${id} is a rain module (!${call.name}): rain pkg expands it into resources; they are not scanned.`,
        r.keyLoc,
        'E_INPUT_UNSUPPORTED',
      );
    else ev.problem(`Resource ${id}: Type must be a string, got ${describeNode(typeNode)}.`, r.keyLoc);
    return undefined;
  }
  const type = typeNode.value;
  if (type.startsWith('AWS::Serverless::') && !info.sam)
    ev.problem(`Resource ${id} of type ${type} needs Transform ${SAM_TRANSFORM}.`, typeNode.loc);
  for (const e of def.entries)
    if (!RESOURCE_ATTRIBUTES.has(e.key))
      ev.problem(
        `Resource ${id}: unknown attribute ${e.key} (CloudFormation accepts ${[...RESOURCE_ATTRIBUTES].join(', ')}).`,
        e.keyLoc,
      );

  const frame = (): Frame => ({ path: '', locs: {}, refs: new Set(), loop: r.loop });
  let condition: CloudFormationResource['condition'];
  const condNode = get(def, 'Condition');
  if (condNode) {
    if (condNode.t !== 'scalar' || typeof condNode.value !== 'string') {
      ev.problem(`Resource ${id}: Condition must name a condition.`, condNode.loc);
    } else {
      const v = ev.condition(condNode.value, condNode.loc, []);
      if (v === false) {
        out.notCreated.push(id);
        return undefined;
      }
      condition = { name: condNode.value, value: v };
    }
  }

  const properties: CfnObject = {};
  const propertyLocations: Record<string, SourceLocation> = {};
  const references: Record<string, string[]> = {};
  const singleReference: string[] = [];
  let unresolvedProperties: Unresolved | undefined;
  const propsNode = info.sam
    ? applyGlobals(info.globals, type, get(def, 'Properties'))
    : get(def, 'Properties');
  if (propsNode && !(propsNode.t === 'scalar' && propsNode.value === null)) {
    if (propsNode.t === 'map' && !callOf(propsNode)) {
      for (const e of propsNode.entries) {
        const f = { ...frame(), locs: propertyLocations, path: e.key };
        const key = r.loop.size ? ev.substituteKey(e.key, f) : e.key;
        f.path = key;
        propertyLocations[key] = e.keyLoc;
        const v = ev.value(e.value, f);
        if (v === NO_VALUE) {
          for (const k of Object.keys(propertyLocations))
            if (k === key || k.startsWith(`${key}.`)) delete propertyLocations[k];
          continue;
        }
        properties[key] = v;
        if (f.refs.size) references[key] = [...f.refs];
        const call = callOf(e.value);
        if ((call?.name === 'Ref' || call?.name === 'Fn::GetAtt') && f.refs.size === 1)
          singleReference.push(key);
      }
    } else {
      const f = { ...frame(), locs: propertyLocations };
      const v = ev.value(propsNode, f);
      if (isUnresolved(v)) unresolvedProperties = v;
      else if (v !== NO_VALUE && v !== null && typeof v === 'object' && !Array.isArray(v))
        Object.assign(properties, v);
      else if (v !== NO_VALUE)
        ev.problem(
          `Resource ${id}: Properties must be a map, got ${describeNode(propsNode)}.`,
          propsNode.loc,
        );
      if (f.refs.size) for (const k of Object.keys(properties)) references[k] = [...f.refs];
    }
  }

  const dependsOn: string[] = [];
  const dep = get(def, 'DependsOn');
  for (const d of dep ? (dep.t === 'seq' ? dep.items : [dep]) : []) {
    const name =
      d.t === 'scalar' && typeof d.value === 'string'
        ? r.loop.size
          ? ev.substituteKey(d.value, frame())
          : d.value
        : undefined;
    if (name === undefined) ev.problem(`Resource ${id}: DependsOn takes logical ids.`, d.loc);
    else if (!scope.resources.has(name))
      ev.problem(`Resource ${id} DependsOn ${name}, which is not a resource of the template.`, d.loc);
    else dependsOn.push(name);
  }

  const fact: CloudFormationResource = {
    kind: 'cloudformation',
    type,
    logicalId: id,
    address: id,
    template: scope.file,
    properties,
    propertyLocations,
    references,
    singleReference,
    dependsOn,
    transforms: info.transforms,
    location: r.keyLoc,
    origin: info.format,
  };
  if (condition) fact.condition = condition;
  if (unresolvedProperties) fact.unresolvedProperties = unresolvedProperties;
  for (const [attr, field] of [
    ['DeletionPolicy', 'deletionPolicy'],
    ['UpdateReplacePolicy', 'updateReplacePolicy'],
  ] as const) {
    const n = get(def, attr);
    if (!n) continue;
    const v = ev.value(n, frame());
    if (v !== NO_VALUE) fact[field] = v;
  }
  const nested = nestedStackOf(type, properties, scope.file);
  if (nested) fact.nestedStack = nested;
  return fact;
}

/**
 * Where a nested stack's template is: `TemplateURL` of `AWS::CloudFormation::Stack`, `Location` of
 * `AWS::Serverless::Application` (a path, a URL, or a Serverless Application Repository id).
 */
function nestedStackOf(type: string, props: CfnObject, file: string): CloudFormationResource['nestedStack'] {
  const raw =
    type === 'AWS::CloudFormation::Stack'
      ? props.TemplateURL
      : type === 'AWS::Serverless::Application'
        ? props.Location
        : undefined;
  if (raw === undefined) return undefined;
  if (isUnresolved(raw)) return { unresolved: raw };
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const app = raw.ApplicationId;
    return { url: typeof app === 'string' ? app : 'a Serverless Application Repository application' };
  }
  if (typeof raw !== 'string') return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) return { url: raw };
  const local = path.posix.normalize(path.posix.join(path.posix.dirname(file), raw.replace(/\\/g, '/')));
  return { local };
}
