import { loadChecks } from '../src/checks/registry.js';
import { runCheckOnFile, describeErrors } from '../test/conformance/run-fixture.js';
const [id, ...files] = process.argv.slice(2);
const checks = await loadChecks();
const check = checks.find((c) => c.id === id)!;
for (const f of files) {
  const r = await runCheckOnFile(check, f);
  console.log(`--- ${f.split('/').pop()}`);
  for (const x of r.results) console.log(`  ${x.subject.address}: ${x.outcome} — ${x.message.slice(0, 160)}`);
  const e = describeErrors(r.diagnostics); if (e) console.log('  ERR', e.slice(0, 200));
}
