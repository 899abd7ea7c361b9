import { EvidentError } from '../core/errors.js';

/**
 * Serialises a JSON value in RFC 8785 JSON Canonicalization Scheme (JCS) form: object members sorted
 * by the UTF-16 code units of their names, no insignificant whitespace, numbers in ECMAScript
 * `Number.prototype.toString` form, strings escaped as ECMAScript `JSON.stringify` does (which is
 * what RFC 8785 §3.2.2.2 prescribes). Members whose value is `undefined` are omitted, as in JSON.
 * `toJSON()` is honoured (so `Date` becomes its ISO string).
 *
 * Throws EvidentError(E_EVIDENCE) for values JSON cannot represent: non-finite numbers, bigint,
 * functions, symbols, and cyclic structures.
 */
export function canonicalize(value: unknown): string {
  const parts: string[] = [];
  write(value, parts, new Set());
  return parts.join('');
}

function write(value: unknown, out: string[], seen: Set<object>): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) {
        throw new EvidentError(
          'E_EVIDENCE',
          `cannot canonicalise the number ${value}: JSON has no NaN or Infinity`,
          {
            hint: 'this is a bug in the code building the statement; please report it',
          },
        );
      }
      // JSON.stringify(-0) === '0', as RFC 8785 requires.
      out.push(JSON.stringify(value));
      return;
    case 'object':
      break;
    default:
      throw new EvidentError('E_EVIDENCE', `cannot canonicalise a value of type ${typeof value}`, {
        hint: 'evidence statements may contain only JSON values',
      });
  }
  const obj = value as { toJSON?: () => unknown };
  if (typeof obj.toJSON === 'function') {
    write(obj.toJSON(), out, seen);
    return;
  }
  if (seen.has(obj)) {
    throw new EvidentError('E_EVIDENCE', 'cannot canonicalise a cyclic structure', {
      hint: 'evidence statements must be trees of JSON values',
    });
  }
  seen.add(obj);
  if (Array.isArray(obj)) {
    out.push('[');
    for (let i = 0; i < obj.length; i++) {
      if (i > 0) out.push(',');
      const v = obj[i];
      // JSON.stringify writes null for undefined/function array members; keep that behaviour.
      write(v === undefined || typeof v === 'function' || typeof v === 'symbol' ? null : v, out, seen);
    }
    out.push(']');
  } else {
    const rec = obj as Record<string, unknown>;
    // Default sort compares UTF-16 code units, which is exactly RFC 8785 §3.2.3.
    const keys = Object.keys(rec)
      .filter((k) => rec[k] !== undefined)
      .sort();
    out.push('{');
    let first = true;
    for (const k of keys) {
      if (!first) out.push(',');
      first = false;
      out.push(JSON.stringify(k), ':');
      write(rec[k], out, seen);
    }
    out.push('}');
  }
  seen.delete(obj);
}
