import type { CfnMap, CfnNode } from './node.js';
import { callOf } from './node.js';

/** The SAM transform (AWS Serverless Application Model). */
export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/** `Globals` keys and the resource types they apply to (SAM "Globals section of the template"). */
export const SAM_GLOBAL_TYPES: Readonly<Record<string, string>> = {
  Function: 'AWS::Serverless::Function',
  Api: 'AWS::Serverless::Api',
  HttpApi: 'AWS::Serverless::HttpApi',
  SimpleTable: 'AWS::Serverless::SimpleTable',
  StateMachine: 'AWS::Serverless::StateMachine',
  CapacityProvider: 'AWS::Serverless::CapacityProvider',
};

/**
 * A SAM resource's `Properties` with the template's `Globals` for its type applied, as the SAM
 * translator does ("Overridable properties"): a property only in Globals is inherited; when both
 * have it, maps are merged key by key (recursively, the resource's value wins), lists are
 * concatenated (Globals first), and any other value of the resource replaces the global one.
 * Intrinsic functions are values (never merged into). Returns `props` unchanged when no global applies.
 */
export function applyGlobals(
  globals: CfnNode | undefined,
  type: string,
  props: CfnNode | undefined,
): CfnNode | undefined {
  if (globals?.t !== 'map') return props;
  const key = Object.keys(SAM_GLOBAL_TYPES).find((k) => SAM_GLOBAL_TYPES[k] === type);
  const g = key ? globals.entries.find((e) => e.key === key)?.value : undefined;
  if (g?.t !== 'map') return props;
  if (!props) return g;
  if (props.t !== 'map' || callOf(props)) return props;
  return mergeNodes(g, props);
}

function mergeNodes(global: CfnNode, local: CfnNode): CfnNode {
  if (global.t === 'map' && local.t === 'map' && !callOf(global) && !callOf(local)) {
    const entries = [...local.entries];
    const out: CfnMap = { t: 'map', entries, loc: local.loc };
    for (const ge of global.entries) {
      const i = entries.findIndex((e) => e.key === ge.key);
      if (i < 0) entries.push(ge);
      else entries[i] = { ...entries[i]!, value: mergeNodes(ge.value, entries[i]!.value) };
    }
    return out;
  }
  if (global.t === 'seq' && local.t === 'seq')
    return { t: 'seq', items: [...global.items, ...local.items], loc: local.loc };
  return local;
}
