/**
 * Scaffolds a built-in rule (docs/policies.md "Testing rules"): src/rules/<domain>/<slug>/rule.yaml
 * plus fixtures/pass-has-owner and fixtures/fail-no-owner that the conformance test accepts as they
 * are; then edit the assertion, fixtures, rationale and mappings.
 *
 *   npm run new:rule -- aws.s3-buckets-have-owner --input terraform --type aws_s3_bucket
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RULES_DIR } from '../src/checks/registry.ts';
import { scaffold, writeScaffold } from '../src/policy/scaffold.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { input: { type: 'string' }, type: { type: 'string' } },
});
const [id] = positionals;
if (!id || !values.input || !values.type) {
  console.error('usage: npm run new:rule -- DOMAIN.SLUG --input terraform|kubernetes --type TYPE');
  process.exit(2);
}
try {
  const [domain, slug] = id.split('.', 2);
  const dir = join(RULES_DIR, domain ?? '', slug ?? '');
  const s = scaffold({ id, input: values.input, type: values.type, builtIn: true });
  for (const p of writeScaffold(s, join(dir, 'rule.yaml'), join(dir, 'fixtures'))) console.log(`wrote ${p}`);
  console.log(
    'next: edit the rule and fixtures, then node --import tsx --test test/conformance/checks.test.ts',
  );
} catch (e) {
  console.error(`error: ${e.message}`);
  process.exit(2);
}
