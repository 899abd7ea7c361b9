// Agreement of every check with the trivy-checks corpus (aquasecurity/trivy-checks, read in place):
// every `bad` snippet of a mapped rule must yield at least one `fail`, every `good` snippet none.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { loadChecks } from '../../src/checks/registry.js';
import type { CheckDefinition } from '../../src/core/check.js';
import { needsCorpora } from '../support/corpora.js';
import { describeErrors, type InputKind, runCheckOnSnippet, TRIVY_CHECKS_DIR } from './run-fixture.js';
import {
  CFN_SNIPPET_DIAGNOSTICS,
  type CfnSnippetDiagnostic,
  TRIVY_EXCEPTIONS,
  type TrivyException,
} from './trivy-exceptions.js';

/** Confusion counts of one check against its corpus snippets (positive = `bad` = should fail). */
interface Tally {
  tp: number;
  fn: number;
  fp: number;
  tn: number;
}

interface Snippet {
  corpus: string;
  list: 'good' | 'bad';
  index: number;
  code: string;
}

/** The terraform, kubernetes or cloudformation good/bad snippets of one corpus file. */
function snippetsOf(corpus: string, key: 'terraform' | 'kubernetes' | 'cloudformation'): Snippet[] {
  const doc = parse(readFileSync(join(TRIVY_CHECKS_DIR, `${corpus}.yaml`), 'utf8')) as Record<
    string,
    { good?: string[]; bad?: string[] } | undefined
  >;
  const section = doc[key];
  const out: Snippet[] = [];
  for (const list of ['good', 'bad'] as const) {
    (section?.[list] ?? []).forEach((code, index) => {
      out.push({ corpus, list, index, code });
    });
  }
  return out;
}

const pct = (n: number, d: number): string =>
  d === 0 ? '  n/a' : `${((100 * n) / d).toFixed(1)}%`.padStart(6);

const skip = needsCorpora('trivy-checks');
const checks = (await loadChecks()).filter((c) => (c.trivyEquivalents ?? []).length > 0);
const summary: { id: string; tally: Tally }[] = [];

function exceptionFor(check: CheckDefinition, s: Snippet): TrivyException | undefined {
  return TRIVY_EXCEPTIONS.find(
    (e) => e.check === check.id && e.corpus === s.corpus && e.list === s.list && e.index === s.index,
  );
}

for (const check of checks) {
  test(`trivy: ${check.id}`, { skip }, async (t) => {
    // trivy's corpus keys its examples by language (`terraform`, `kubernetes`); the source of the
    // same name reads them.
    const key = check.input === 'kubernetes' ? 'kubernetes' : 'terraform';
    const kind: InputKind = key;
    const tally: Tally = { tp: 0, fn: 0, fp: 0, tn: 0 };
    const disagreements: string[] = [];
    const usedExceptions = new Set<TrivyException>();
    let total = 0;
    for (const corpus of check.trivyEquivalents ?? []) {
      const snippets = snippetsOf(corpus, key);
      total += snippets.length;
      for (const s of snippets) {
        await t.test(`${corpus} ${s.list}[${s.index}]`, async () => {
          const run = await runCheckOnSnippet(check, kind, s.code);
          const failed = run.results.some((r) => r.outcome === 'fail');
          if (s.list === 'bad') failed ? tally.tp++ : tally.fn++;
          else failed ? tally.fp++ : tally.tn++;
          const agrees = failed === (s.list === 'bad');
          const exception = exceptionFor(check, s);
          if (exception && !agrees) usedExceptions.add(exception);
          if (!agrees && !exception) {
            const errors = describeErrors(run.diagnostics);
            const seen = run.results
              .map((r) => `${r.subject.address}=${r.outcome} (${r.message})`)
              .join('; ');
            disagreements.push(
              `${corpus} ${s.list}[${s.index}]: expected ${s.list === 'bad' ? 'a fail' : 'no fail'}, got [${seen}]` +
                (errors ? `\n    source errors: ${errors}` : ''),
            );
            assert.fail(disagreements.at(-1));
          }
        });
      }
    }
    summary.push({ id: check.id, tally });
    const { tp, fn, fp, tn } = tally;
    console.log(
      `trivy ${check.id}: TP=${tp} FN=${fn} FP=${fp} TN=${tn} precision=${pct(tp, tp + fp).trim()} recall=${pct(tp, tp + fn).trim()}` +
        ` (${(check.trivyEquivalents ?? []).join(', ')})`,
    );
    assert.ok(total > 0, `${check.id}: its trivyEquivalents have no ${key} snippets`);
    const stale = TRIVY_EXCEPTIONS.filter((e) => e.check === check.id && !usedExceptions.has(e)).map(
      (e) => `${e.corpus} ${e.list}[${e.index}]`,
    );
    assert.deepEqual(
      stale,
      [],
      `${check.id}: stale trivy-exceptions entries (no such snippet, or the check now agrees): remove them`,
    );
    assert.deepEqual(disagreements, [], `${check.id} disagrees with trivy`);
  });
}

// CloudFormation: every good/bad CloudFormation example of a mapped rule is read through the real
// CloudFormation source (it must load, with only the listed diagnostics). Checks that judge
// CloudFormation resources (subjects of kind `cloudformation`, through the adapters) must agree with
// trivy exactly as for Terraform; the others are reported as not yet adapted, per family.
interface CfnTally extends Tally {
  snippets: number;
  notJudged: number;
}
const cfnByFamily = new Map<string, CfnTally>();
const usedSnippetDiagnostics = new Set<CfnSnippetDiagnostic>();
const family = (corpus: string): string => corpus.split('/').slice(0, -1).join('/');

for (const check of checks) {
  const corpora = (check.trivyEquivalents ?? []).filter((c) => snippetsOf(c, 'cloudformation').length > 0);
  if (corpora.length === 0) continue;
  test(`trivy cloudformation: ${check.id}`, async (t) => {
    const disagreements: string[] = [];
    for (const corpus of corpora) {
      const tally: CfnTally = cfnByFamily.get(family(corpus)) ?? {
        tp: 0,
        fn: 0,
        fp: 0,
        tn: 0,
        snippets: 0,
        notJudged: 0,
      };
      cfnByFamily.set(family(corpus), tally);
      for (const s of snippetsOf(corpus, 'cloudformation')) {
        await t.test(`${corpus} ${s.list}[${s.index}]`, async () => {
          const run = await runCheckOnSnippet(check, 'cloudformation', s.code);
          tally.snippets++;
          assert.ok(run.facts.cloudformation.length > 0, 'the snippet yields CloudFormation resources');
          const unexpected = run.diagnostics.filter((d) => {
            if (d.severity === 'info') return false;
            const listed = CFN_SNIPPET_DIAGNOSTICS.find(
              (x) =>
                x.corpus === s.corpus &&
                x.list === s.list &&
                x.index === s.index &&
                x.pattern.test(d.message),
            );
            if (listed) usedSnippetDiagnostics.add(listed);
            return !listed;
          });
          assert.deepEqual(
            unexpected.map((d) => `${d.line}:${d.column} ${d.message}`),
            [],
            'the snippet loads without unlisted diagnostics',
          );
          const judged = run.results.filter((r) => r.subject.kind === 'cloudformation');
          if (judged.length === 0) {
            tally.notJudged++;
            return;
          }
          const failed = judged.some((r) => r.outcome === 'fail');
          if (s.list === 'bad') failed ? tally.tp++ : tally.fn++;
          else failed ? tally.fp++ : tally.tn++;
          if (failed !== (s.list === 'bad') && !exceptionFor(check, s)) {
            disagreements.push(
              `${corpus} ${s.list}[${s.index}]: ${judged.map((r) => `${r.subject.address}=${r.outcome}`).join('; ')}`,
            );
            assert.fail(disagreements.at(-1));
          }
        });
      }
    }
    assert.deepEqual(disagreements, [], `${check.id} disagrees with trivy on CloudFormation`);
  });
}

test('trivy cloudformation: listed snippet diagnostics are current, agreement per family', () => {
  const stale = CFN_SNIPPET_DIAGNOSTICS.filter((x) => !usedSnippetDiagnostics.has(x)).map(
    (x) => `${x.corpus} ${x.list}[${x.index}] ${x.pattern}`,
  );
  assert.deepEqual(stale, [], 'stale CFN_SNIPPET_DIAGNOSTICS entries');
  for (const x of CFN_SNIPPET_DIAGNOSTICS) assert.ok(x.reason.trim().length >= 20, 'give a real reason');
  const rows = [...cfnByFamily.entries()].sort(([a], [b]) => a.localeCompare(b));
  const lines = ['family                      snippets  judged   TP   FN   FP   TN  agreement'];
  let snippets = 0;
  for (const [fam, x] of rows) {
    const judged = x.snippets - x.notJudged;
    snippets += x.snippets;
    const n = (v: number, w = 4) => String(v).padStart(w);
    lines.push(
      `${fam.padEnd(27)} ${n(x.snippets, 8)} ${n(judged, 7)} ${n(x.tp)} ${n(x.fn)} ${n(x.fp)} ${n(x.tn)}  ${judged ? pct(x.tp + x.tn, judged) : 'not adapted'}`,
    );
  }
  console.log(lines.join('\n'));
  assert.ok(snippets >= 38, `at least 38 CloudFormation snippets read, got ${snippets}`);
});

test('trivy: exceptions name mapped checks and carry a reason', () => {
  const mapped = new Map(checks.map((c) => [c.id, c.trivyEquivalents ?? []]));
  for (const e of TRIVY_EXCEPTIONS) {
    assert.ok(mapped.get(e.check)?.includes(e.corpus), `${e.check} does not map ${e.corpus}`);
    assert.ok(
      e.reason.trim().length >= 20,
      `${e.check} ${e.corpus} ${e.list}[${e.index}]: give a real reason`,
    );
  }
});

test('trivy: summary', { skip }, () => {
  const rows = summary.sort((a, b) => a.id.localeCompare(b.id));
  const width = Math.max(5, ...rows.map((r) => r.id.length));
  const lines = [`${'check'.padEnd(width)}   TP   FN   FP   TN  precision  recall`];
  for (const { id, tally: x } of rows) {
    const n = (v: number) => String(v).padStart(4);
    lines.push(
      `${id.padEnd(width)} ${n(x.tp)} ${n(x.fn)} ${n(x.fp)} ${n(x.tn)}     ${pct(x.tp, x.tp + x.fp)}  ${pct(x.tp, x.tp + x.fn)}`,
    );
  }
  console.log(lines.join('\n'));
});
