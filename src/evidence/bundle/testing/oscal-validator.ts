import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const SCHEMA = path.resolve(repoRoot, '../shared/corpora/oscal-schemas/oscal_assessment-results_schema.json');

let validator: ValidateFunction | undefined;
/** ajv validator for NIST's OSCAL assessment-results schema (draft-07, \p{} patterns need unicode regexps). */
export function oscalValidator(): ValidateFunction {
  if (validator) return validator;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: true });
  const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
  addFormats(ajv);
  validator = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
  return validator;
}
