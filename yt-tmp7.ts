import { readFileSync } from 'node:fs';
import { parseYamlBounded } from './src/sources/yaml-bounded.js';
import { LineCounter } from 'yaml';
const unit = readFileSync(process.argv[2], 'utf8');
let s = ''; while (s.length < Number(process.argv[3]) * 1048576) s += unit + '\n---\n';
const b = { maxNodes: 1e9, maxDepth: 256, maxExpandedBytes: 1e12 };
const c0 = process.cpuUsage(); const t = Date.now();
const r = parseYamlBounded(s, { version: '1.1', uniqueKeys: true, lineCounter: new LineCounter() }, b);
const c = process.cpuUsage(c0);
if ('docs' in r) { for (const d of r.docs) d.toJS(); }
const c2 = process.cpuUsage(c0);
console.log(s.length, 'wall', Date.now() - t, 'cpu parse', ((c.user + c.system) / 1000) | 0, 'cpu +toJS', ((c2.user + c2.system) / 1000) | 0, 'nodes' in r ? `nodes ${r.nodes} bytes/node ${(s.length / r.nodes).toFixed(1)} µs/node ${((c2.user + c2.system) / r.nodes).toFixed(1)}` : '', 'rss', process.memoryUsage().rss / 1e6 | 0);
