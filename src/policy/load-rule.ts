import { EvidentError } from '../core/errors.js';
import { decodeStrictText, describeTextProblem } from '../core/strict-text.js';
import { describeRefusal, readRegularFileSync } from '../sources/read-regular-file.js';
import { type RuleCheckDefinition, ruleCheck } from './rule-check.js';
import { parseRuleText } from './rule-file.js';

/** Rule files larger than this are rejected (a rule is a page of YAML). */
const MAX_RULE_BYTES = 256 * 1024;

/**
 * Reads, validates and compiles the rule file at `path` (absolute). `display` names it in messages
 * (relative to the repository or scan root). Throws RuleFileError (E_CONFIG) for an invalid rule,
 * EvidentError E_CONFIG for a file that is too large, binary, not strictly UTF-8 YAML text
 * (core/strict-text.ts) or not a regular file (a FIFO is never opened for reading), E_IO when it
 * cannot be read.
 */
export function loadRuleFile(path: string, display = path): RuleCheckDefinition {
  const read = readRegularFileSync(path, MAX_RULE_BYTES);
  if ('refused' in read) {
    const r = read.refused;
    if (r.kind === 'io')
      throw new EvidentError('E_IO', `cannot read rule file ${display}: ${r.code}`, { file: display });
    throw new EvidentError(
      'E_CONFIG',
      r.kind === 'too-large'
        ? `rule file ${display} is over ${MAX_RULE_BYTES / 1024} KiB; a rule is one short YAML file`
        : `rule file ${display} ${describeRefusal(r, MAX_RULE_BYTES)}`,
      { file: display },
    );
  }
  const decoded = decodeStrictText(read.buf, 'yaml');
  if ('problem' in decoded) {
    const p = decoded.problem;
    throw new EvidentError(
      'E_CONFIG',
      p.nul
        ? `rule file ${display} is binary, not YAML`
        : `rule file ${display} is not valid YAML text: ${describeTextProblem(p)}`,
      { file: display, line: p.line, column: p.column },
    );
  }
  return ruleCheck(parseRuleText(decoded.text, display));
}
