import { getHclParser } from './src/sources/terraform/hcl-parser.js';
const parser = await getHclParser();
const MB = 1024 * 1024;
const n = Number(process.argv[2] ?? 1);
const cases: Record<string, string> = {
  quoted: `a = "${'x'.repeat(n * MB)}"\n`,




};
for (const [k, v] of Object.entries(cases)) {
  const c0 = process.cpuUsage(); const t = Date.now();
  const tree = parser.parse(v);
  const c = process.cpuUsage(c0);
  console.log(k, (v.length / MB).toFixed(1), 'MB wall', Date.now() - t, 'cpu', ((c.user + c.system) / 1000) | 0, 'nodes', tree?.rootNode.descendantCount, 'rss', process.memoryUsage().rss / 1e6 | 0);
  tree?.delete();
}
