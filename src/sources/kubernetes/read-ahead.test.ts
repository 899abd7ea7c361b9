import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { corpus, needsCorpora } from '../../../test/support/corpora.js';
import type { DocPath, KubernetesObject } from '../../core/facts.js';
import type { SourceResult } from '../../core/source-result.js';
import { discoverAndClaim } from '../test-support.js';
import { loadKubernetes } from './load-kubernetes.js';

// loadKubernetes reads files ahead of the one it parses; these tests pin that the result (facts in
// order, locations, locate() answers, diagnostics in order, skipped, inputs) is exactly what loading
// the files one at a time gives.

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, 'fixtures');
const goat = corpus('kubernetes-goat');

/** Every path into `v` (keys and indexes), depth first, plus paths that do not exist. */
function allPaths(v: unknown, prefix: DocPath = [], out: DocPath[] = []): DocPath[] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => void allPaths(x, [...prefix, i], out));
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) allPaths(x, [...prefix, k], out);
  }
  return out;
}

async function oneAtATime(root: string, files: string[]): Promise<SourceResult<KubernetesObject>> {
  const all: SourceResult<KubernetesObject> = { facts: [], inputs: [], skipped: [], diagnostics: [] };
  for (const f of files) {
    const r = await loadKubernetes(root, [f]);
    all.facts.push(...r.facts);
    all.inputs.push(...r.inputs);
    all.skipped.push(...r.skipped);
    all.diagnostics.push(...r.diagnostics);
  }
  return all;
}

function withoutLocate(r: SourceResult<KubernetesObject>) {
  return { ...r, facts: r.facts.map(({ locate: _, ...f }) => f) };
}

async function assertSameAsOneAtATime(root: string, files: string[]): Promise<number> {
  const together = await loadKubernetes(root, files);
  const single = await oneAtATime(root, files);
  assert.deepEqual(withoutLocate(together), withoutLocate(single));
  let located = 0;
  together.facts.forEach((f, i) => {
    const g = single.facts[i] as KubernetesObject;
    for (const p of [...allPaths(f.manifest), ['nope'], ['spec', 'nope', 3]]) {
      assert.deepEqual(f.locate(p), g.locate(p), `${f.address} ${p.join('.')}`);
      located++;
    }
  });
  return located;
}

describe('loadKubernetes reads ahead without changing the result', () => {
  it('gives the fixtures the same facts, locations, diagnostics (in order) and skipped as file by file', async () => {
    const files = (await discoverAndClaim(fixtures)).yamlFiles;
    // Unreadable files among readable ones: their E_IO diagnostics must stay in file order.
    const withMissing = [...files.slice(0, 2), 'missing-a.yaml', ...files.slice(2), 'missing-b.yaml'];
    const r = await loadKubernetes(fixtures, withMissing);
    const io = r.diagnostics.filter((d) => d.code === 'E_IO').map((d) => d.file);
    assert.deepEqual(io, ['missing-a.yaml', 'missing-b.yaml']);
    assert.ok(
      r.diagnostics.some((d) => d.code === 'E_INPUT_PARSE'),
      'fixtures carry parse diagnostics too',
    );
    assert.ok((await assertSameAsOneAtATime(fixtures, withMissing)) > 100);
  });

  it('gives the kubernetes-goat corpus the same locate() positions for every path as file by file', {
    skip: needsCorpora('kubernetes-goat'),
  }, async () => {
    const files = (await discoverAndClaim(goat)).yamlFiles;
    const located = await assertSameAsOneAtATime(goat, files);
    assert.ok(located > 500, `only ${located} paths located`);
    // A sample pinned to the source text, so a change in how positions are computed is caught too.
    const r = await loadKubernetes(goat, files);
    const dep = r.facts.find((f) => f.objectKind === 'Deployment' && f.podSpec);
    assert.ok(dep);
    const containers = dep.locate([...(dep.podSpec?.path ?? []), 'containers']);
    assert.equal(containers.file, dep.location.file);
    assert.ok(containers.line > dep.location.line);
  });
});
