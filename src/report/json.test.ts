import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { sampleResult } from './fixtures/sample-scan-result.js';
import { renderJson } from './json.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const schema = JSON.parse(readFileSync(path.join(here, 'scan-result.schema.json'), 'utf8')) as Record<
  string,
  unknown
>;
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** The published schema tolerates unknown members (forward compatibility); tests forbid them to catch drift. */
function closed(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closed);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'properties' ? mapValues(v, closed) : closed(v);
  if ('properties' in out && !('additionalProperties' in out)) out.additionalProperties = false;
  return out;
}
function mapValues(o: unknown, f: (v: unknown) => unknown): unknown {
  return Object.fromEntries(Object.entries(o as Record<string, unknown>).map(([k, v]) => [k, f(v)]));
}

function validator(s: unknown) {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(s as object);
}

function shuffleKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shuffleKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v)
      .reverse()
      .map(([k, x]) => [k, shuffleKeys(x)]),
  );
}

describe('renderJson', () => {
  it('round-trips the ScanResult unchanged', () => {
    const r = sampleResult();
    assert.deepEqual(JSON.parse(renderJson(r)), JSON.parse(JSON.stringify(r)));
  });

  it('is deterministic: schemaVersion first, nested keys sorted, independent of insertion order', () => {
    const a = renderJson(sampleResult());
    const b = renderJson(shuffleKeys(sampleResult()) as ReturnType<typeof sampleResult>);
    assert.equal(a, b);
    assert.match(
      a,
      /^\{\n {2}"schemaVersion": "1",\n {2}"tool": \{\n {4}"name": "evident",\n {4}"version": "0\.1\.0"\n {2}\},\n {2}"startedAt"/,
    );
    assert.ok(a.endsWith('}\n'));
    const f = a.indexOf('"checkId"');
    assert.ok(
      f < a.indexOf('"fingerprint"', f) && a.indexOf('"fingerprint"', f) < a.indexOf('"location"', f),
    );
  });

  it('drops undefined members and serialises toJSON objects', () => {
    const r = sampleResult();
    r.controlMap = { builtIn: true, file: undefined };
    (r.findings[0] as unknown as Record<string, unknown>).extra = { toJSON: () => 'x' };
    const parsed = JSON.parse(renderJson(r));
    assert.deepEqual(parsed.controlMap, { builtIn: true });
    assert.equal(parsed.findings[0].extra, 'x');
  });
});

describe('scan-result.schema.json', () => {
  it('accepts the rendered sample, with unknown members forbidden', () => {
    const validate = validator(closed(schema));
    const ok = validate(JSON.parse(renderJson(sampleResult())));
    assert.ok(ok, JSON.stringify(validate.errors, null, 2));
  });

  it('accepts the sample with baseline info and minimal control map', () => {
    const r = sampleResult();
    r.summary.newFailing = 0;
    r.controlMap = { builtIn: true };
    const validate = validator(closed(schema));
    assert.ok(validate(JSON.parse(renderJson(r))), JSON.stringify(validate.errors));
  });

  it('rejects wrong values where consumers rely on them', () => {
    const validate = validator(schema);
    // biome-ignore lint/suspicious/noExplicitAny: the test writes invalid values into parsed JSON on purpose
    const bad = (mutate: (r: Record<string, any>) => void) => {
      const r = JSON.parse(renderJson(sampleResult()));
      mutate(r);
      return validate(r);
    };
    assert.equal(
      bad(() => {}),
      true,
    );
    assert.equal(
      bad((r) => {
        r.schemaVersion = '2';
      }),
      false,
    );
    assert.equal(
      bad((r) => {
        r.findings[0].outcome = 'waived';
      }),
      false,
    );
    assert.equal(
      bad((r) => {
        r.findings[0].fingerprint = 'abc';
      }),
      false,
    );
    assert.equal(
      bad((r) => {
        r.summary.exitCode = 3;
      }),
      false,
    );
    assert.equal(
      bad((r) => {
        r.frameworks[0].counts.manual = undefined;
        delete r.frameworks[0].counts.manual;
      }),
      false,
    );
    assert.equal(
      bad((r) => {
        r.findings[1].waiver.expires = '31/01/2024';
      }),
      false,
    );
  });

  it('is documented: docs/scan-result.md names every member the schema defines', () => {
    const doc = readFileSync(path.join(repoRoot, 'docs/scan-result.md'), 'utf8');
    const names = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) {
        for (const n of node) walk(n);
        return;
      }
      if (node === null || typeof node !== 'object') return;
      for (const [k, v] of Object.entries(node)) {
        if (k === 'properties') for (const name of Object.keys(v as object)) names.add(name);
        walk(v);
      }
    };
    walk(schema);
    const missing = [...names].filter((n) => !doc.includes(`\`${n}\``) && !doc.includes(`\`${n}?\``));
    assert.deepEqual(missing, []);
    assert.match(doc, /schemaVersion/);
  });
});
