import type { CfnValue } from '../../core/facts.js';
import type { SourceLocation } from '../../core/location.js';
import { isUnresolved, Unresolved } from '../../core/unresolved.js';
import { cidrSubnets } from './cidr.js';
import { type CfnNode, describeNode, get } from './node.js';
import type { Frame, TemplateScope } from './scope.js';
import { anyUnresolved, type Ev, findUnresolved, NO_VALUE, scalarText, unresolvedFrom } from './values.js';

/** What the functions here need from the evaluator (src/sources/cloudformation/evaluate.ts). */
export interface CallContext {
  readonly scope: TemplateScope;
  value(node: CfnNode, frame: Frame): Ev;
  arg(node: CfnNode, frame: Frame): Ev;
  problem(message: string, loc: SourceLocation, rejectable?: boolean): void;
}

/** Functions of the `Rules` section: valid there only. */
const RULE_FUNCTIONS = new Set([
  'Fn::Contains',
  'Fn::EachMemberEquals',
  'Fn::EachMemberIn',
  'Fn::RefAll',
  'Fn::ValueOf',
  'Fn::ValueOfAll',
]);

/**
 * Evaluates the intrinsic functions other than `Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::If` and the
 * condition functions (CloudFormation "Intrinsic function reference"; `Fn::Length`,
 * `Fn::ToJsonString` and the `DefaultValue` of `Fn::FindInMap` from `AWS::LanguageExtensions`).
 * `Fn::GetAZs`, `Fn::ImportValue` and `Fn::Transform` are not known statically; rain packaging
 * directives (`!Rain::Embed`) are reported and Unresolved; any other name is an unknown function.
 */
export function callFunction(ctx: CallContext, name: string, arg: CfnNode, node: CfnNode, frame: Frame): Ev {
  const args = arg.t === 'seq' ? arg.items : undefined;
  const malformed = (shape: string): Unresolved => {
    ctx.problem(`${name} takes ${shape}, got ${describeNode(arg)}.`, node.loc);
    return new Unresolved(`${name} with malformed arguments`);
  };
  switch (name) {
    case 'Fn::Join': {
      if (args?.length !== 2) return malformed('[delimiter, [values]]');
      const delim = ctx.arg(args[0]!, frame);
      const list = ctx.arg(args[1]!, frame);
      if (isUnresolved(list))
        return unresolvedFrom(`Fn::Join of a list not known statically: ${list.reason}`, list);
      if (typeof delim !== 'string' || !Array.isArray(list)) return malformed('[delimiter, [values]]');
      const texts: string[] = [];
      for (const v of list) {
        if (isUnresolved(v)) return unresolvedFrom(`Fn::Join: ${v.reason}`, list);
        const t = scalarText(v);
        if (t === undefined) return malformed('a list of strings to join');
        texts.push(t);
      }
      return texts.join(delim);
    }
    case 'Fn::Select': {
      if (args?.length !== 2) return malformed('[index, list]');
      const index = ctx.arg(args[0]!, frame);
      const list = ctx.arg(args[1]!, frame);
      if (isUnresolved(index)) return index;
      const i = typeof index === 'number' ? index : typeof index === 'string' ? Number(index) : Number.NaN;
      if (!Number.isInteger(i) || i < 0) return malformed('a whole-number index');
      if (isUnresolved(list))
        return unresolvedFrom(`Fn::Select from a list not known statically: ${list.reason}`, list);
      if (!Array.isArray(list)) return malformed('[index, list]');
      if (i >= list.length) {
        ctx.problem(`Fn::Select index ${i} is out of range: the list has ${list.length} elements.`, node.loc);
        return new Unresolved(`Fn::Select index ${i} out of range`);
      }
      return list[i]!;
    }
    case 'Fn::Split': {
      if (args?.length !== 2) return malformed('[delimiter, string]');
      const delim = ctx.arg(args[0]!, frame);
      const src = ctx.arg(args[1]!, frame);
      if (isUnresolved(src))
        return unresolvedFrom(`Fn::Split of a string not known statically: ${src.reason}`, src);
      const s = src === NO_VALUE ? undefined : scalarText(src);
      if (typeof delim !== 'string' || delim === '' || s === undefined)
        return malformed('[delimiter, string]');
      return s.split(delim);
    }
    case 'Fn::FindInMap':
      return findInMap(ctx, arg, node, frame, malformed);
    case 'Fn::Base64': {
      const v = ctx.arg(arg, frame);
      if (isUnresolved(v)) return v;
      const s = v === NO_VALUE ? undefined : scalarText(v);
      if (s === undefined) return malformed('a string');
      return Buffer.from(s, 'utf8').toString('base64');
    }
    case 'Fn::Cidr': {
      if (args?.length !== 3) return malformed('[ipBlock, count, cidrBits]');
      const vs = args.map((a) => ctx.arg(a, frame));
      const u = vs.find((v) => isUnresolved(v));
      if (u)
        return unresolvedFrom(`Fn::Cidr of a value not known statically: ${(u as Unresolved).reason}`, ...vs);
      const [block, count, bits] = vs.map((v) => (v === NO_VALUE ? undefined : scalarText(v)));
      if (block === undefined || count === undefined || bits === undefined)
        return malformed('[ipBlock, count, cidrBits]');
      const r = cidrSubnets(block, Number(count), Number(bits));
      if (!Array.isArray(r)) {
        ctx.problem(`Fn::Cidr: ${r.error}.`, node.loc);
        return new Unresolved(`Fn::Cidr: ${r.error}`);
      }
      return r;
    }
    case 'Fn::GetAZs':
      return new Unresolved('Fn::GetAZs: the availability zones of a region are known at deployment');
    case 'Fn::ImportValue': {
      const v = ctx.arg(arg, frame);
      const what = typeof v === 'string' ? ` ${v}` : '';
      return new Unresolved(
        `Fn::ImportValue${what}: the value is exported by another stack`,
        isUnresolved(v) ? v.refs : [],
      );
    }
    case 'Fn::Transform': {
      const macro = get(arg.t === 'seq' ? arg.items[0] : arg, 'Name');
      const m = macro?.t === 'scalar' ? String(macro.value) : 'a macro';
      ctx.scope.diag(
        'info',
        `Fn::Transform ${m}: the macro's output is not evaluated; the value is unknown.`,
        node.loc,
      );
      return new Unresolved(`Fn::Transform ${m}: the macro's output is not evaluated`);
    }
    case 'Fn::Length': {
      const v = ctx.arg(arg, frame);
      if (isUnresolved(v)) return v;
      if (!Array.isArray(v)) return malformed('a list');
      return v.length;
    }
    case 'Fn::ToJsonString': {
      const v = ctx.arg(arg, frame);
      const u = findUnresolved(v);
      if (u) return unresolvedFrom(`Fn::ToJsonString: ${u.reason}`, v);
      if (v === NO_VALUE || v === null || typeof v !== 'object') return malformed('a list or a map');
      return JSON.stringify(v);
    }
    default:
      break;
  }
  if (name.startsWith('Rain::')) return new Unresolved(`!${name} is expanded by rain pkg, not evaluated`);
  if (name.startsWith('Fn::ForEach::')) {
    ctx.problem(`${name} is only expanded in the Resources, Outputs and Conditions sections.`, node.loc);
    return new Unresolved(`${name} outside Resources is not expanded`);
  }
  if (RULE_FUNCTIONS.has(name)) {
    ctx.problem(`${name} is a rule function: CloudFormation accepts it only in the Rules section.`, node.loc);
    return new Unresolved(`${name} outside Rules`);
  }
  const spelled = node.t === 'map' && node.shortForm ? node.shortForm : name;
  ctx.problem(
    `Unknown intrinsic function ${spelled}${ctx.scope.generated ? ' (a transform may define it)' : ''}: CloudFormation rejects it. Its value is unknown.`,
    node.loc,
  );
  return new Unresolved(`unknown intrinsic function ${spelled}`);
}

function findInMap(
  ctx: CallContext,
  arg: CfnNode,
  node: CfnNode,
  frame: Frame,
  malformed: (shape: string) => Unresolved,
): Ev {
  const args = arg.t === 'seq' ? arg.items : undefined;
  if (!args || (args.length !== 3 && args.length !== 4))
    return malformed('[map, top-level key, second-level key]');
  const [mapName, top, second] = args.slice(0, 3).map((a) => ctx.arg(a, frame));
  const defaultNode = args.length === 4 ? get(args[3], 'DefaultValue') : undefined;
  if (args.length === 4 && !defaultNode) return malformed('a fourth argument {DefaultValue: value}');
  const fallback = (why: string): Ev => {
    if (defaultNode) return ctx.value(defaultNode, frame);
    ctx.problem(`Fn::FindInMap: ${why}.`, node.loc);
    return new Unresolved(`Fn::FindInMap: ${why}`);
  };
  if (isUnresolved(mapName))
    return unresolvedFrom(`Fn::FindInMap map name not known statically: ${mapName.reason}`, mapName);
  if (typeof mapName !== 'string') return malformed('a map name');
  const mapping = ctx.scope.mappings.get(mapName);
  if (mapping?.t !== 'map') return fallback(`no mapping ${mapName} in the Mappings section`);
  const secondKey =
    second === NO_VALUE || second === undefined
      ? undefined
      : isUnresolved(second)
        ? second
        : scalarText(second);
  const topKey =
    top === NO_VALUE || top === undefined ? undefined : isUnresolved(top) ? top : scalarText(top);
  if (topKey === undefined || secondKey === undefined) return malformed('string keys');
  if (isUnresolved(topKey) || isUnresolved(secondKey)) {
    // The value is still known when every candidate entry holds the same value.
    const unknown = isUnresolved(topKey) ? topKey : (secondKey as Unresolved);
    const tops = isUnresolved(topKey) ? mapping.entries : mapping.entries.filter((e) => e.key === topKey);
    const candidates: CfnValue[] = [];
    for (const t of tops) {
      if (t.value.t !== 'map') continue;
      const seconds = isUnresolved(secondKey)
        ? t.value.entries
        : t.value.entries.filter((e) => e.key === secondKey);
      if (seconds.length === 0 && !isUnresolved(secondKey)) candidates.push(new Unresolved('missing key'));
      for (const s of seconds) {
        const v = ctx.arg(s.value, frame);
        candidates.push(v === NO_VALUE ? new Unresolved('AWS::NoValue in a mapping') : v);
      }
    }
    const first = candidates[0];
    if (
      first !== undefined &&
      !anyUnresolved(first) &&
      candidates.every((c) => !anyUnresolved(c) && JSON.stringify(c) === JSON.stringify(first))
    )
      return first;
    return unresolvedFrom(`Fn::FindInMap ${mapName}: key not known statically (${unknown.reason})`, unknown);
  }
  const topNode = get(mapping, topKey);
  if (!topNode) return fallback(`mapping ${mapName} has no key ${topKey}`);
  const leaf = get(topNode, secondKey);
  if (!leaf) return fallback(`mapping ${mapName}.${topKey} has no key ${secondKey}`);
  return ctx.value(leaf, frame);
}
