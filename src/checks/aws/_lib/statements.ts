// IAM policy statements of the model (src/model/aws/policy-document.ts) in the flat form the policy
// analyses of the S3 and IAM checks use: known values and unknown parts side by side.

import type { PolicyDocumentModel } from '../../../adapters/common/iam-policy-json.js';
import { effective } from '../../../model/value.js';
import { items, strings } from '../../_lib/model-verdicts.js';

// The statement shapes are the ones the Terraform-facts policy reader (policy.ts) produces, so both
// readers feed the same analyses.
import type { PolicyRead, PolicyStatement, PolicyValues } from './policy.js';

export { hasUnresolved } from './policy.js';
export type { PolicyRead, PolicyStatement, PolicyValues };

function values(list: Parameters<typeof strings>[0]): PolicyValues {
  const s = strings(list);
  return { values: s.values, unresolved: s.unresolved.map((u) => u.reason) };
}

/**
 * The statements of a model policy document: `unresolved` when the statement list (or one statement)
 * is not known statically, `invalid` when the document is not a policy (not JSON, not an object).
 */
export function readDocument(doc: PolicyDocumentModel): PolicyRead {
  const list = doc.statements;
  if (list.state === 'unknown') {
    const reason =
      'invalid' in list
        ? list.unresolved.reason
        : `${list.name} is not known statically (${list.unresolved.reason})`;
    return { state: 'invalid' in list ? 'invalid' : 'unresolved', reason, location: list.location };
  }
  const out: PolicyStatement[] = [];
  for (const [i, item] of items(list).entries()) {
    if (item.state === 'unknown')
      return {
        state: 'unresolved',
        reason: `statement ${i} is not known statically (${item.unresolved.reason})`,
        location: item.location,
      };
    if (item.state !== 'known') continue;
    const s = item.value;
    const e = effective(s.effect);
    const effect = e === 'Allow' || e === 'Deny' ? e : undefined;
    const conditions: PolicyStatement['conditions'] = { entries: [], unresolved: [] };
    const conds = s.conditions;
    for (const c of items(conds)) {
      if (c.state === 'unknown') conditions.unresolved.push(c.unresolved.reason);
      else if (c.state === 'known' && c.value.operator.state === 'known' && c.value.key.state === 'known')
        conditions.entries.push({
          operator: c.value.operator.value,
          key: c.value.key.value,
          values: values(c.value.values),
        });
    }
    const sid = s.sid.state === 'known' && s.sid.value ? ` "${s.sid.value}"` : ` ${i}`;
    out.push({
      effect,
      actions: values(s.actions),
      resources: values(s.resources),
      notActions: values(s.notActions),
      notResources: values(s.notResources),
      principals: values(s.principals),
      notPrincipals: values(s.notPrincipals),
      hasCondition: conds.state === 'unknown' || (conds.state === 'known' && conds.value.length > 0),
      conditions,
      label: `statement${sid}`,
      location: item.location,
    });
  }
  return { state: 'ok', statements: out };
}
