import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import { summarize } from './summarize.js';

const failing = { outcome: 'fail', severity: 'high', fingerprint: 'a'.repeat(64) } as unknown as Finding;
const inputError: Diagnostic = {
  severity: 'error',
  code: 'E_INPUT_PARSE',
  file: 'main.tf',
  line: 3,
  message: 'x',
};
const warning: Diagnostic = { ...inputError, severity: 'warning' };

describe('summarize: exit codes', () => {
  it('0 clean, 1 a counted failure, 2 an input error, which outranks failures (issue 7)', () => {
    assert.equal(summarize([], [], 'info').exitCode, 0);
    assert.equal(summarize([], [warning], 'info').exitCode, 0);
    assert.equal(summarize([failing], [], 'info').exitCode, 1);
    assert.equal(summarize([], [inputError], 'info').exitCode, 2);
    const both = summarize([failing], [inputError], 'info');
    assert.equal(
      both.exitCode,
      2,
      'a CI job that tolerates findings (exit 1) must still stop on broken input',
    );
    assert.equal(both.failing, 1, 'the failures are still counted');
  });
});
