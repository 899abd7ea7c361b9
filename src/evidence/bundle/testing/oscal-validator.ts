import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { corpus } from '../../../../test/support/corpora.js';

const SCHEMA = corpus('oscal-schemas/oscal_assessment-results_schema.json');

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
