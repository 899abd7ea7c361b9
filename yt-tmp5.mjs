import { Lexer } from 'yaml';
import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
const files = execSync(`find ${process.argv[2]} -name "*.yaml" -o -name "*.yml"`).toString().trim().split('\n');
let nodes = 0, bytes = 0, max = 0;
for (const f of files) { const s = readFileSync(f, 'utf8'); bytes += s.length; let n = 0;
  for (const t of new Lexer().lex(s)) { const c = t[0]; if (c !== ' ' && c !== '\n' && c !== '\r' && c !== ',' && c !== '#' && c !== '\u0002' && c !== '\u001f' && c!== ':' ) n++; }
  nodes += n; max = Math.max(max, n); }
console.log(files.length, 'files', bytes, 'bytes', nodes, 'nodes', 'max/file', max, 'bytes/node', (bytes/nodes).toFixed(1));
