import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { defaultAdmissionPolicy } from '../control-map/admission-config.js';
import { loadRuleSet } from '../engine/rule-set.js';
import { runScan } from '../engine/run-scan.js';
import { decide, decideContext } from './decide.js';
import { parseAdmissionReview } from './review.js';
import { reviewOf } from './test-support.js';

const EXAMPLE = new URL('../../examples/platform/', import.meta.url).pathname;
const NOW = new Date('2026-06-01T00:00:00Z');

test("the webhook's verdicts on the example's manifests equal `evident scan`'s on the same files", async () => {
  const config = join(EXAMPLE, 'evident.yaml');
  const scan = await runScan({ root: join(EXAMPLE, 'kubernetes'), config, now: NOW });
  const rules = await loadRuleSet({ rootDir: EXAMPLE, config });
  const ctx = decideContext(rules, rules.map.admission ?? defaultAdmissionPolicy());
  // Kind/name -> sorted "rule outcome" of every verdict that is not a pass
  const key = (address: string) => address.replace(/^([^/]+)\/[^/]+\//, '$1/');
  const fromScan = new Map<string, string[]>();
  for (const f of scan.result.findings) {
    if (f.subject.kind !== 'kubernetes' || f.outcome === 'pass' || f.outcome === 'not-applicable') continue;
    const k = key(f.subject.address);
    fromScan.set(k, [...(fromScan.get(k) ?? []), `${f.checkId} ${f.outcome}`].sort());
  }
  const fromWebhook = new Map<string, string[]>();
  let denied = 0;
  let objects = 0;
  const dir = join(EXAMPLE, 'kubernetes');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
      const object = doc.toJS() as Record<string, unknown>;
      if (!object?.kind) continue;
      objects++;
      const req = parseAdmissionReview(reviewOf(object, { uid: `uid-${objects}` }));
      const { response, decision } = decide(ctx, req, NOW);
      if (!response.allowed) denied++;
      const k = `${decision.kind}/${decision.name}`;
      const results = decision.results.map((r) => `${r.rule} ${r.outcome}`).sort();
      if (results.length) fromWebhook.set(k, results);
      // every enforced failure of a controlled rule is a line of the denial, naming its control
      for (const r of decision.results.filter((x) => x.effect === 'deny')) {
        assert.match(
          response.status?.message ?? '',
          new RegExp(`^${r.rule.replace('.', '\\.')} \\[${r.controls.join(', ')}\\]: `, 'm'),
        );
      }
    }
  }
  assert.ok(objects >= 6, `objects: ${objects}`);
  assert.ok(denied >= 1, 'the example has deliberate violations');
  assert.deepEqual(Object.fromEntries(fromWebhook), Object.fromEntries(fromScan));
});
