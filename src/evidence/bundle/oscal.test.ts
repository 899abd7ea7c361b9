import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needsCorpora } from '../../../test/support/corpora.js';
import { renderOscalAssessmentResults, requirementToken, uuidV5 } from './oscal.js';
import type { BundleModel } from './period-model.js';
import { oscalValidator } from './testing/oscal-validator.js';
import { sampleModel } from './testing/sample-scan.js';

function assertValid(doc: unknown): void {
  const validate = oscalValidator();
  const ok = validate(doc);
  assert.equal(ok, true, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
}

describe('OSCAL assessment-results', () => {
  const skip = needsCorpora('oscal-schemas');
  it('validates against the NIST schema (ajv)', { skip }, () => {
    assertValid(JSON.parse(renderOscalAssessmentResults(sampleModel('multi\nline <b>message</b>'))));
  });

  it('validates with awkward requirement IDs (HIPAA, GDPR) and no runs', { skip }, () => {
    const model = sampleModel();
    const fw = model.runs[1]!.result.frameworks[0]!;
    fw.requirements.push(
      {
        id: '164.312(a)(2)(iv)',
        title: 'Encryption',
        family: '164.312',
        status: 'pass',
        reason: '',
        controls: [],
      },
      {
        id: 'Art.32(1)(a)',
        title: ' Pseudonymisation\n',
        family: 'Art.32',
        status: 'manual',
        reason: 'x',
        controls: [],
      },
    );
    assertValid(JSON.parse(renderOscalAssessmentResults(model)));
    const empty: BundleModel = { ...model, runs: [], manual: [] };
    assertValid(JSON.parse(renderOscalAssessmentResults(empty)));
  });

  it('rejects a broken document (the validator is real)', { skip }, () => {
    const doc = JSON.parse(renderOscalAssessmentResults(sampleModel()));
    doc['assessment-results'].results[0].findings[0].target.status.state = 'maybe';
    assert.equal(oscalValidator()(doc), false);
    delete doc['assessment-results']['import-ap'];
    assert.equal(oscalValidator()(doc), false);
  });

  it('maps statuses and is deterministic', () => {
    const text = renderOscalAssessmentResults(sampleModel());
    assert.equal(renderOscalAssessmentResults(sampleModel()), text);
    const ar = JSON.parse(text)['assessment-results'];
    assert.equal(ar.results.length, 2);
    const soc2 = ar.results[0];
    assert.deepEqual(
      soc2.findings.map((f: { target: { 'target-id': string; status: { state: string } } }) => [
        f.target['target-id'],
        f.target.status.state,
      ]),
      [
        ['soc2-CC6.1', 'not-satisfied'],
        ['soc2-CC7.4', 'not-satisfied'],
      ],
    );
    assert.equal(soc2.observations.length, 3);
    assert.equal(soc2.observations[0].methods[0], 'TEST');
    assert.equal(soc2.observations[2].methods[0], 'EXAMINE');
  });

  it('makes RFC 4122 v5 UUIDs and NCName tokens', () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org') == 886313e1-3b8a-5372-9b90-0c9aee199e5d
    assert.equal(
      uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'),
      '886313e1-3b8a-5372-9b90-0c9aee199e5d',
    );
    assert.equal(requirementToken('hipaa', '164.312(a)(2)(iv)'), 'hipaa-164.312_a__2__iv_');
  });
});
