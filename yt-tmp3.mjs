import { parseAllDocuments } from 'yaml';
import { readFileSync } from 'node:fs';
const unit = readFileSync(process.argv[2], 'utf8');
let s = ''; while (s.length < 5 * 1048576) s += unit + '\n---\n';
let t = Date.now(); const d = parseAllDocuments(s, {uniqueKeys: true}); console.log('parse', Date.now()-t);
