// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Terraform (HCL) source, where ${...} is interpolation syntax
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TfValue } from '../../core/facts.js';
import { isUnresolved, type Unresolved } from '../../core/unresolved.js';
import { type EvalHost, Evaluator } from './evaluate.js';
import { parseHcl } from './hcl-parser.js';
import { EvalFailure, toFactValue } from './values.js';

const host: EvalHost = {
  resolve: (name) => ({ v: new EvalFailure(`no ${name} here`), used: 0 }),
  fnEnv: { readFile: () => new EvalFailure('no files'), templateFile: () => new EvalFailure('no files') },
};

/** Evaluates one HCL expression with no references available. */
async function ev(src: string): Promise<TfValue> {
  const parsed = await parseHcl(`x = ${src}\n`);
  assert.equal(parsed.error, undefined, `parse error in ${src}: ${parsed.error?.message}`);
  const attr = parsed.body.attributes[0];
  assert.ok(attr);
  // Numbers that are not safe integers are TfNumber inside the evaluator; facts hold plain numbers.
  return toFactValue(new Evaluator(host).eval(attr.expr, undefined));
}

describe('templates and heredocs', () => {
  it('processes quoted-string escapes', async () => {
    assert.equal(await ev('"a\\nb\\t\\"c\\" \\\\ \\u00e9 $${x} %%{y}"'), 'a\nb\t"c" \\ é ${x} %{y}');
  });

  it('keeps <<EOF text verbatim and strips common indentation for <<-EOF', async () => {
    assert.equal(await ev('<<EOF\n  a\n    b\nEOF'), '  a\n    b\n');
    assert.equal(await ev('<<-EOF\n    a\n      b\n\n    c\n  EOF'), 'a\n  b\n\nc\n');
    assert.equal(await ev('<<-EOF\n    ${"v"}\n      x\n  EOF'), 'v\n  x\n');
  });

  it('handles directives and strip markers', async () => {
    assert.equal(await ev('"%{ for i in [1, 2] ~}  <${i}>  %{~ endfor }"'), '<1><2>');
    assert.equal(await ev('"%{ if false }yes%{ else }no%{ endif }"'), 'no');
    assert.equal(await ev('"${ "a" } ${~ "b" ~} c"'), 'abc');
  });

  it('returns the value itself for a single interpolation', async () => {
    assert.deepEqual(await ev('"${[1, 2]}"'), [1, 2]);
  });
});

describe('operators and collections', () => {
  it('follows precedence and comparison rules', async () => {
    assert.equal(await ev('1 + 2 * 3 == 7 && !(2 > 3)'), true);
    assert.equal(await ev('-(3 - 5) % 3'), 2);
    assert.equal(await ev('"1" + 1'), 2);
    assert.equal(await ev('[1, {a = "b"}] == [1, {a = "b"}]'), true);
    // terraform console (1.11.4): 1 / 0 is +Inf, 0 / 0 fails ("can't divide zero by zero").
    assert.equal(await ev('1 / 0'), Number.POSITIVE_INFINITY);
    assert.ok(isUnresolved(await ev('0 / 0')));
  });

  it('indexes, splats and legacy index syntax', async () => {
    assert.equal(await ev('[10, 20, 30][1]'), 20);
    assert.equal(await ev('{a = {b = [5]}}.a.b.0'), 5);
    assert.deepEqual(await ev('[{n = 1}, {n = 2}][*].n'), [1, 2]);
    assert.deepEqual(await ev('{n = 3}[*].n'), [3]);
    assert.deepEqual(await ev('null[*]'), []);
    assert.ok((await ev('[1][5]')) instanceof EvalFailure);
  });

  it('evaluates for expressions with conditions and grouping', async () => {
    assert.deepEqual(await ev('[for i, v in ["a", "b", "c"] : "${i}${v}" if v != "b"]'), ['0a', '2c']);
    assert.deepEqual(await ev('{for v in ["x", "y", "x"] : v => 1...}'), { x: [1, 1], y: [1] });
    assert.ok(
      (await ev('{for v in ["x", "x"] : v => 1}')) instanceof EvalFailure,
      'duplicate keys without ... are an error',
    );
    assert.deepEqual(await ev('{for k, v in {b = 2, a = 1} : v => k}'), { '1': 'a', '2': 'b' });
  });

  it('evaluates object keys: bare identifiers, strings and parenthesised expressions', async () => {
    assert.deepEqual(await ev('{ a = 1, "b" = 2, ("c${1}") = 3 }'), { a: 1, b: 2, c1: 3 });
  });
});

describe('functions', () => {
  const cases: [string, TfValue][] = [
    ['merge({a = 1, b = 1}, null, {b = 2})', { a: 1, b: 2 }],
    ['concat([1], [], [2, 3])', [1, 2, 3]],
    ['element(["a", "b"], 3)', 'b'],
    ['keys({b = 1, a = 2})', ['a', 'b']],
    ['values({b = 1, a = 2})', [2, 1]],
    ['contains(["a"], "a")', true],
    ['coalesce(null, "", "x")', 'x'],
    ['coalescelist([], [1])', [1]],
    ['compact(["a", "", null, "b"])', ['a', 'b']],
    ['distinct([1, 2, 1])', [1, 2]],
    ['flatten([[1, [2]], 3])', [1, 2, 3]],
    ['format("%5s|%-3d|%x|%q|%%", "ab", 7, 255, "q")', '   ab|7  |ff|"q"|%'],
    ['formatlist("%s-%s", ["a", "b"], "z")', ['a-z', 'b-z']],
    ['split(",", "a,b")', ['a', 'b']],
    ['title("hello world")', 'Hello World'],
    ['replace("abc", "b", "X")', 'aXc'],
    ['replace("a1b22", "/(\\\\d+)/", "<$1>")', 'a<1>b<22>'],
    ['substr("hello", 1, 3)', 'ell'],
    ['substr("hello", -3, -1)', 'llo'],
    ['trim("?!hi!?", "!?")', 'hi'],
    ['trimprefix("abc", "a")', 'bc'],
    ['trimsuffix("abc", "c")', 'ab'],
    ['startswith("abc", "ab")', true],
    ['endswith("abc", "bc")', true],
    ['tostring(5)', '5'],
    ['tonumber("5.5")', 5.5],
    ['tobool("true")', true],
    ['toset(["b", "a", "b"])', ['a', 'b']],
    ['max(1, 5, 3)', 5],
    ['min([4, 2]...)', 2],
    ['ceil(1.2) + floor(1.8) + abs(-1)', 4],
    ['range(3)', [0, 1, 2]],
    ['range(1, 7, 2)', [1, 3, 5]],
    ['zipmap(["a", "b"], [1, 2])', { a: 1, b: 2 }],
    ['slice([1, 2, 3, 4], 1, 3)', [2, 3]],
    ['reverse([1, 2])', [2, 1]],
    ['sort(["b", "a", "c"])', ['a', 'b', 'c']],
    ['one([])', null],
    ['sum([1, 2, 3])', 6],
    ['setunion(["b"], ["a", "b"])', ['a', 'b']],
    ['setintersection(["a", "b"], ["b", "c"])', ['b']],
    ['setsubtract(["a", "b"], ["b"])', ['a']],
    ['regex("(?P<k>\\\\w+)=(?P<v>\\\\w+)", "a=b")', { k: 'a', v: 'b' }],
    ['regexall("\\\\d", "a1b2")', ['1', '2']],
    ['base64decode(base64encode("hé"))', 'hé'],
    ['md5("a")', '0cc175b9c0f1b6a831c399e269772661'],
    ['sha256("")', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['cidrsubnet("10.1.0.0/16", 4, 15)', '10.1.240.0/20'],
    ['cidrhost("10.0.0.0/8", -2)', '10.255.255.254'],
    ['cidrnetmask("172.16.0.0/12")', '255.240.0.0'],
    ['jsondecode(jsonencode({a = [1, "x", null, true]}))', { a: [1, 'x', null, true] }],
    ['yamlencode({a = 1, b = ["x"]})', '"a": 1\n"b":\n- "x"\n'],
    ['jsonencode({a = "<&>"})', '{"a":"\\u003c\\u0026\\u003e"}'],
    ['format("%.1f", 2.25)', '2.2'],
    ['lookup({a = 1}, "a")', 1],
    ['length("héllo")', 5],
    ['try(nonexistent.attr, "d")', 'd'],
    ['can(tonumber("x"))', false],
    ['join("-", ["a"], ["b", "c"])', 'a-b-c'],
  ];
  for (const [src, expected] of cases) {
    it(src, async () => {
      assert.deepEqual(await ev(src), expected);
    });
  }

  it('returns Unresolved for unsupported, apply-time and failing calls', async () => {
    assert.equal(((await ev('nope(1)')) as Unresolved).reason, 'unsupported function nope');
    assert.ok(isUnresolved(await ev('uuid()')));
    assert.ok((await ev('lookup({}, "a")')) instanceof EvalFailure);
    assert.ok((await ev('cidrsubnet("fd00::/8", 8, 1)')) instanceof EvalFailure);
    assert.ok((await ev('upper([1])')) instanceof EvalFailure);
  });
});

describe('parser', () => {
  it('reports the first syntax error with line and column', async () => {
    const r = await parseHcl('a = 1\nb = [1,\nresource "x" {\n');
    assert.ok(r.error);
    assert.equal(typeof r.error.line, 'number');
    assert.ok(r.error.line >= 2);
    assert.match(r.error.message, /^syntax error/);
  });

  it('gives 1-based positions counted in UTF-16 units', async () => {
    const r = await parseHcl('x = "é😀"\n  y = 1\nblock "l" {\n  z = 2\n}\n');
    assert.equal(r.error, undefined);
    assert.deepEqual(
      r.body.attributes.map((a) => [a.name, a.pos.line, a.pos.col]),
      [
        ['x', 1, 1],
        ['y', 2, 3],
      ],
    );
    assert.deepEqual(r.body.blocks[0]?.pos, { line: 3, col: 1, endLine: 5 });
    assert.equal(r.body.blocks[0]?.body.attributes[0]?.pos.line, 4);
  });
});

// Each expected value was printed by `terraform console` (Terraform 1.11.4) for the expression.
describe('numbers and type unification as Terraform evaluates them', () => {
  it('computes with 512-bit binary floats and compares by shortest text', async () => {
    assert.equal(await ev('0.1 + 0.2 == 0.3'), true);
    assert.equal(await ev('tostring(0.1 + 0.2)'), '0.3');
    assert.equal(await ev('"${0.1 + 0.2}"'), 0.3);
    assert.equal(await ev('0.7 * 10 == 7'), true);
    assert.equal(await ev('sum([0.1, 0.2]) == 0.3'), true);
    assert.equal(await ev('tostring(sum([0.1, 0.2, 0.3]))'), '0.6');
    assert.equal(await ev('contains([0.3], 0.1 + 0.2)'), true);
    assert.equal(await ev('0.30000000000000004 == 0.1 + 0.2'), false);
    assert.equal(await ev('tostring(9007199254740993)'), '9007199254740993');
    assert.equal(await ev('tostring(1e21)'), '1000000000000000000000');
    assert.equal(await ev('-7 % 3'), -1);
    assert.equal(await ev('7.5 % 2'), 1.5);
    assert.equal(await ev('5 % 0'), 5);
    assert.equal(await ev('tonumber("0.1") + 0.2 == 0.3'), true);
    assert.equal(await ev('jsonencode(0.1 + 0.2)'), '0.3');
    for (const bad of ['tonumber("0x10")', 'tonumber(" 1")', 'tonumber("1_000")'])
      assert.ok(isUnresolved(await ev(bad)), bad);
  });

  it('unifies element types where a function takes a list or set', async () => {
    assert.deepEqual(await ev('distinct([1, "1"])'), ['1']);
    assert.deepEqual(await ev('distinct([1, "1", true])'), ['1', 'true']);
    assert.deepEqual(await ev('distinct([1.0, "1"])'), ['1']);
    assert.deepEqual(await ev('toset([true, "true"])'), ['true']);
    assert.deepEqual(await ev('toset([1, 1.0, "1"])'), ['1']);
    assert.deepEqual(await ev('tolist([1, "a"])'), ['1', 'a']);
    assert.deepEqual(await ev('setunion([1], ["1"])'), ['1']);
    assert.deepEqual(await ev('compact([1, "", null])'), ['1']);
    assert.ok(isUnresolved(await ev('distinct([1, true])')), 'all list elements must have the same type');
    // Tuples keep their element types.
    assert.deepEqual(await ev('concat([1], ["1"])'), [1, '1']);
    assert.equal(await ev('[1, "1"] == ["1", "1"]'), false);
  });
});
