import { loadTerraform } from '../src/sources/terraform/index.ts';
const dir = process.argv[2]!;
const r = await loadTerraform(dir, [dir], {});
console.log(JSON.stringify(r.diagnostics, null, 1));
for (const f of r.facts) console.log(f.address, JSON.stringify(f.attributes));
