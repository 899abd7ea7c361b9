import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CommanderError } from 'commander';
import { EvidentError } from '../core/errors.js';
import { buildProgram, EXIT_CODES, reportError } from './main.js';

describe('exit codes', () => {
  it('gives internal errors a code of their own, never 1 (findings) or 2 (input)', () => {
    for (const err of [
      new RangeError('Invalid string length'),
      new TypeError('x is undefined'),
      'thrown string',
    ]) {
      const r = reportError(err);
      assert.equal(r.code, 3);
      assert.match(r.message, /internal error/);
      assert.doesNotMatch(r.message, /at .*:\d+:\d+/, 'no stack trace without EVIDENT_DEBUG');
    }
    assert.equal(reportError(new EvidentError('E_INTERNAL', 'bug')).code, EXIT_CODES.internal);
  });

  it('maps input, usage and verification errors to 2, 2 and 1', () => {
    assert.equal(reportError(new EvidentError('E_INPUT_PARSE', 'bad')).code, 2);
    assert.equal(reportError(new EvidentError('E_CONFIG', 'bad')).code, 2);
    assert.equal(reportError(new EvidentError('E_VERIFY', 'bad')).code, 1);
    assert.equal(reportError(new CommanderError(1, 'commander.unknownOption', 'x')).code, 2);
    assert.equal(reportError(new CommanderError(0, 'commander.helpDisplayed', '')).code, 0);
    const enoent = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', syscall: 'open' });
    assert.equal(reportError(enoent).code, 2);
  });

  it('documents every exit code in --help, for the program and each command', async () => {
    const program = await buildProgram();
    let out = '';
    program.configureOutput({ writeOut: (s) => (out += s) });
    program.outputHelp();
    const scan = program.commands.find((c) => c.name() === 'scan');
    scan?.configureOutput({ writeOut: (s) => (out += s) });
    scan?.outputHelp();
    for (const code of Object.values(EXIT_CODES))
      assert.equal(out.split(`\n  ${code}  `).length, 3, `exit code ${code}`);
  });
});
