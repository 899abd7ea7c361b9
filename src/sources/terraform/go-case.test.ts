import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { goLower, goTitle, goUpper } from './go-case.js';

// Every value here was printed by `terraform console` (Terraform 1.11.4).
test('upper/lower/title follow Go (Terraform), not JavaScript', () => {
  const cases: [(s: string) => string, string, string][] = [
    [goUpper, 'ß', 'ß'],
    [goLower, 'İ', 'i'],
    [goUpper, 'ǆ', 'Ǆ'],
    [goLower, 'Σ', 'σ'],
    [goLower, 'ΑΣ', 'ασ'],
    [goUpper, 'ﬁ', 'ﬁ'],
    [goUpper, 'ŉ', 'ŉ'],
    [goUpper, 'ǉ', 'Ǉ'],
    [goLower, 'ǈ', 'ǉ'],
    [goUpper, 'ς', 'Σ'],
    [goLower, 'ẞ', 'ß'],
    [goUpper, 'ı', 'I'],
    [goLower, '\u212a', 'k'],
    [goTitle, 'ǆa', 'ǅa'],
    [goTitle, 'hello wORLD', 'Hello WORLD'],
    [goTitle, "o'neil", "O'Neil"],
    [goTitle, 'a-b c_d', 'A-B C_d'],
  ];
  for (const [f, input, want] of cases) assert.equal(f(input), want, `${f.name}(${input})`);
});

test('agrees with Terraform on every cased code point (recorded output)', () => {
  const rec = JSON.parse(
    readFileSync(new URL('./fixtures/case-mapping/terraform-1.11.4.json', import.meta.url), 'utf8'),
  ) as { input: string; upper: string; lower: string; title: string };
  assert.equal(goUpper(rec.input), rec.upper);
  assert.equal(goLower(rec.input), rec.lower);
  assert.equal(goTitle(rec.input.split('|').join(' ')), rec.title);
});
