import { EvidentError } from '../core/errors.js';

const FINGERPRINT = /^[0-9a-f]{64}$/;

/**
 * Parses an earlier `evident scan --format json` result (docs/scan-result.md) used as
 * `--baseline FILE` and returns the fingerprints of its failing findings: outcome `fail` or
 * `error`, waived or not (a waived failure is still a pre-existing one). Other findings are ignored.
 *
 * Throws EvidentError with `file` set (and `line`/`column` for JSON syntax errors):
 * - `E_INPUT_PARSE` when the text is not JSON (empty file, truncated output, a table report);
 * - `E_CONFIG` when it is JSON but not a ScanResult of a supported `schemaVersion` (e.g. a SARIF
 *   log, or a result written by a newer Evident), or its `findings` are malformed.
 * A leading UTF-8 BOM is accepted.
 */
export function readBaseline(text: string, file: string): Set<string> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') {
    throw new EvidentError(
      'E_INPUT_PARSE',
      'the baseline file is empty, so there is nothing to compare against.',
      {
        file,
        hint: 'Write a baseline with `evident scan --format json --output FILE` on the main branch and pass that file.',
      },
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (err) {
    const where = jsonErrorPosition(body, err);
    throw new EvidentError(
      'E_INPUT_PARSE',
      `the baseline is not valid JSON (${err instanceof Error ? err.message : String(err)}), so no finding can be matched against it.`,
      {
        file,
        ...where,
        cause: err,
        hint: 'Pass the output of `evident scan --format json`, not the table, SARIF or JUnit output.',
      },
    );
  }
  const hint =
    'Regenerate the baseline with `evident scan --format json --output FILE` using this version of Evident.';
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new EvidentError(
      'E_CONFIG',
      'the baseline is JSON but not an Evident scan result (expected an object).',
      { file, hint },
    );
  }
  const obj = data as Record<string, unknown>;
  if (obj.version === '2.1.0' && Array.isArray(obj.runs)) {
    throw new EvidentError(
      'E_CONFIG',
      'the baseline is a SARIF log; a baseline must be an Evident scan result.',
      { file, hint },
    );
  }
  if (!('schemaVersion' in obj)) {
    throw new EvidentError(
      'E_CONFIG',
      'the baseline has no `schemaVersion`, so it is not an Evident scan result.',
      { file, hint },
    );
  }
  if (obj.schemaVersion !== '1') {
    throw new EvidentError(
      'E_CONFIG',
      `the baseline has schemaVersion ${JSON.stringify(obj.schemaVersion)}, but this Evident reads schemaVersion "1"; its findings cannot be trusted to match.`,
      { file, hint },
    );
  }
  if (!Array.isArray(obj.findings)) {
    throw new EvidentError(
      'E_CONFIG',
      'the baseline has no `findings` array, so it is not a complete scan result.',
      { file, hint },
    );
  }
  const out = new Set<string>();
  obj.findings.forEach((f: unknown, i: number) => {
    if (f === null || typeof f !== 'object') {
      throw new EvidentError('E_CONFIG', `baseline finding ${i} is not an object.`, { file, hint });
    }
    const { outcome, fingerprint } = f as Record<string, unknown>;
    if (outcome !== 'fail' && outcome !== 'error') return;
    if (typeof fingerprint !== 'string' || !FINGERPRINT.test(fingerprint)) {
      throw new EvidentError(
        'E_CONFIG',
        `baseline finding ${i} has no valid fingerprint (64 lowercase hex characters).`,
        { file, hint },
      );
    }
    out.add(fingerprint);
  });
  return out;
}

/** Line/column (1-based) of a JSON.parse error, from the `position N` Node 20 puts in the message. */
function jsonErrorPosition(text: string, err: unknown): { line?: number; column?: number } {
  const m = err instanceof Error ? /position (\d+)/.exec(err.message) : null;
  if (!m) return {};
  const pos = Math.min(Number(m[1]), text.length);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return { line, column };
}
