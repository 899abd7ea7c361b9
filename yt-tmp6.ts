import { parseYamlBounded } from './src/sources/yaml-bounded.js';
const b = { maxNodes: 1_000_000, maxDepth: 256, maxExpandedBytes: 64 * 1024 * 1024 };
const N = 5 * 1024 * 1024;
const cases: Record<string, string> = {
  flowSeq: 'a: [' + '1, '.repeat(N / 3) + '1]',
  flowMap: 'a: {' + Array.from({ length: N / 12 }, (_, i) => `k${i}: v`).join(', ') + '}',
  plain: 'a: ' + 'x'.repeat(N),
  quoted: 'a: "' + 'x '.repeat(N / 2) + '"',
  deep: '['.repeat(10000) + ']'.repeat(10000),
  deepBlock: Array.from({ length: 10000 }, (_, i) => ' '.repeat(i) + 'a:').join('\n'),
};
for (const [k, v] of Object.entries(cases)) {
  const c0 = process.cpuUsage(); const t = Date.now();
  const r = parseYamlBounded(v, { version: '1.1', uniqueKeys: true }, b);
  const c = process.cpuUsage(c0);
  console.log(k, v.length, 'wall', Date.now() - t, 'cpu', ((c.user + c.system) / 1000) | 0, 'hit' in r ? JSON.stringify(r.hit) : `docs ${r.docs.length} nodes ${r.nodes} errs ${r.docs[0]?.errors.length}`);
}
