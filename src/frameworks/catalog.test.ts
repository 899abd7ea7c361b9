import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadChecks } from '../checks/registry.js';
import { FRAMEWORK_IDS, type FrameworkId } from '../core/framework-id.js';
import { loadCatalog, loadCatalogs } from './catalog.js';

function range(prefix: string, from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(`${prefix}${i}`);
  return out;
}

const SOC2 = [
  ...range('CC1.', 1, 5),
  ...range('CC2.', 1, 3),
  ...range('CC3.', 1, 4),
  ...range('CC4.', 1, 2),
  ...range('CC5.', 1, 3),
  ...range('CC6.', 1, 8),
  ...range('CC7.', 1, 5),
  'CC8.1',
  ...range('CC9.', 1, 2),
  ...range('A1.', 1, 3),
  ...range('C1.', 1, 2),
  ...range('PI1.', 1, 5),
  'P1.1',
  'P2.1',
  ...range('P3.', 1, 2),
  ...range('P4.', 1, 3),
  ...range('P5.', 1, 2),
  ...range('P6.', 1, 7),
  'P7.1',
  'P8.1',
];

const ISO = [
  ...range('A.5.', 1, 37),
  ...range('A.6.', 1, 8),
  ...range('A.7.', 1, 14),
  ...range('A.8.', 1, 34),
];

const sub = (base: string, letters: string[]) => letters.map((l) => `${base}(${l})`);
const HIPAA = [
  '164.308(a)(1)(i)',
  ...sub('164.308(a)(1)(ii)', ['A', 'B', 'C', 'D']),
  '164.308(a)(2)',
  '164.308(a)(3)(i)',
  ...sub('164.308(a)(3)(ii)', ['A', 'B', 'C']),
  '164.308(a)(4)(i)',
  ...sub('164.308(a)(4)(ii)', ['A', 'B', 'C']),
  '164.308(a)(5)(i)',
  ...sub('164.308(a)(5)(ii)', ['A', 'B', 'C', 'D']),
  '164.308(a)(6)(i)',
  '164.308(a)(6)(ii)',
  '164.308(a)(7)(i)',
  ...sub('164.308(a)(7)(ii)', ['A', 'B', 'C', 'D', 'E']),
  '164.308(a)(8)',
  '164.308(b)(1)',
  '164.308(b)(3)',
  '164.310(a)(1)',
  ...sub('164.310(a)(2)', ['i', 'ii', 'iii', 'iv']),
  '164.310(b)',
  '164.310(c)',
  '164.310(d)(1)',
  ...sub('164.310(d)(2)', ['i', 'ii', 'iii', 'iv']),
  '164.312(a)(1)',
  ...sub('164.312(a)(2)', ['i', 'ii', 'iii', 'iv']),
  '164.312(b)',
  '164.312(c)(1)',
  '164.312(c)(2)',
  '164.312(d)',
  '164.312(e)(1)',
  ...sub('164.312(e)(2)', ['i', 'ii']),
  '164.314(a)(1)',
  '164.314(a)(2)(i)',
  '164.314(b)(1)',
  '164.314(b)(2)',
  '164.316(a)',
  '164.316(b)(1)',
  ...sub('164.316(b)(2)', ['i', 'ii', 'iii']),
];

const GDPR = [
  ...sub('Art.5(1)', ['a', 'b', 'c', 'd', 'e', 'f']),
  'Art.5(2)',
  'Art.17(1)',
  'Art.20(1)',
  'Art.24(1)',
  'Art.25(1)',
  'Art.25(2)',
  'Art.28(1)',
  'Art.28(3)',
  'Art.30(1)',
  'Art.30(2)',
  ...sub('Art.32(1)', ['a', 'b', 'c', 'd']),
  'Art.32(2)',
  'Art.32(4)',
  'Art.33(1)',
  'Art.33(3)',
  'Art.33(5)',
  'Art.34(1)',
  'Art.35(1)',
  'Art.35(7)',
  'Art.44',
];

const EXPECTED: Record<FrameworkId, string[]> = {
  soc2: SOC2,
  'iso27001-2022': ISO,
  hipaa: HIPAA,
  gdpr: GDPR,
};

describe('framework catalogs', () => {
  it('the expected sets themselves have the documented sizes', () => {
    assert.equal(SOC2.length, 61);
    assert.equal(ISO.length, 93);
  });

  for (const id of FRAMEWORK_IDS) {
    it(`${id}: exact requirement IDs, in order, no duplicates`, () => {
      const c = loadCatalog(id);
      assert.equal(c.id, id);
      assert.deepEqual(
        c.requirements.map((r) => r.id),
        EXPECTED[id],
      );
      assert.equal(c.byId.size, c.requirements.length);
    });

    it(`${id}: non-empty trimmed fields and a citation`, () => {
      const c = loadCatalog(id);
      for (const s of [c.name, c.version, c.source]) assert.ok(s.trim().length > 0);
      for (const r of c.requirements) {
        for (const [k, v] of Object.entries({ id: r.id, family: r.family, title: r.title })) {
          assert.ok(v.length > 0, `${id} ${r.id}: empty ${k}`);
          assert.equal(v, v.trim(), `${id} ${r.id}: stray whitespace in ${k}`);
          assert.doesNotMatch(v, /\s{2,}|\n/, `${id} ${r.id}: odd whitespace in ${k}`);
        }
      }
    });
  }

  it('families are the documented groupings', () => {
    assert.deepEqual(
      [...new Set(loadCatalog('iso27001-2022').requirements.map((r) => r.family))],
      ['5 Organizational', '6 People', '7 Physical', '8 Technological'],
    );
    const hipaaFamilies = new Set(loadCatalog('hipaa').requirements.map((r) => r.family));
    assert.ok(hipaaFamilies.has('Administrative safeguards (164.308)'));
    assert.ok(hipaaFamilies.has('Technical safeguards (164.312)'));
    assert.equal(loadCatalog('soc2').byId.get('CC6.6')?.family, 'CC6 Logical and Physical Access Controls');
    assert.equal(loadCatalog('gdpr').byId.get('Art.32(1)(a)')?.family, 'Security of processing');
  });

  it('loadCatalogs returns every framework, cached', () => {
    const all = loadCatalogs();
    assert.deepEqual(
      all.map((c) => c.id),
      [...FRAMEWORK_IDS],
    );
    assert.equal(loadCatalog('soc2'), all[0]);
    assert.deepEqual(
      loadCatalogs(['gdpr']).map((c) => c.id),
      ['gdpr'],
    );
  });

  it('every mapping of every built-in check names a requirement that exists', async () => {
    const checks = await loadChecks();
    const bad: string[] = [];
    for (const check of checks) {
      for (const [fw, ids] of Object.entries(check.mappings)) {
        if (!(FRAMEWORK_IDS as readonly string[]).includes(fw)) {
          bad.push(`${check.id}: unknown framework '${fw}'`);
          continue;
        }
        const catalog = loadCatalog(fw as FrameworkId);
        for (const rid of ids ?? []) {
          if (!catalog.byId.has(rid)) bad.push(`${check.id}: ${fw} '${rid}' is not in the catalog`);
        }
      }
    }
    assert.deepEqual(bad, []);
  });
});
