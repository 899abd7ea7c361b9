import { readFileSync, statSync } from 'node:fs';
import { EvidentError } from '../core/errors.js';
import { type RuleCheckDefinition, ruleCheck } from './rule-check.js';
import { parseRuleText } from './rule-file.js';

/** Rule files larger than this are rejected (a rule is a page of YAML). */
const MAX_RULE_BYTES = 256 * 1024;

/**
 * Reads, validates and compiles the rule file at `path` (absolute). `display` names it in messages
 * (relative to the repository or scan root). Throws RuleFileError (E_CONFIG) for an invalid rule,
 * EvidentError E_CONFIG for a file that is too large or binary, E_IO when it cannot be read.
 */
export function loadRuleFile(path: string, display = path): RuleCheckDefinition {
  let buf: Buffer;
  try {
    if (statSync(path).size > MAX_RULE_BYTES)
      throw new EvidentError(
        'E_CONFIG',
        `rule file ${display} is over ${MAX_RULE_BYTES / 1024} KiB; a rule is one short YAML file`,
        { file: display },
      );
    buf = readFileSync(path);
  } catch (e) {
    if (e instanceof EvidentError) throw e;
    throw new EvidentError('E_IO', `cannot read rule file ${display}: ${(e as Error).message}`, {
      file: display,
      cause: e,
    });
  }
  if (buf.includes(0))
    throw new EvidentError('E_CONFIG', `rule file ${display} is binary, not YAML`, { file: display });
  return ruleCheck(parseRuleText(buf.toString('utf8').replace(/^\uFEFF/, ''), display));
}
