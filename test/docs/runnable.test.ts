// Runs every command block of README.md and docs/*.md marked as runnable, so the commands the docs show
// keep working. A block is runnable when the line before its ```sh fence is
//   <!-- runnable setup=NAME -->
// It runs in a fresh temporary directory prepared by the named setup (below), line by line in one bash
// session: every command must exit 0, or the status its comment states as `[exit N]`. `npx evident`
// and `evident` run the built CLI (bin/evident.js); installing the package itself is tested by
// test/e2e/install-and-ci.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(REPO, 'bin', 'evident.js');

/** One runnable block: where it is, its setup, and its commands with their expected exit codes. */
interface RunnableBlock {
  file: string;
  line: number;
  setup: string;
  commands: { line: number; text: string; exit: number }[];
}

/** Finds the runnable blocks of one Markdown file (see the header of this file). */
export function runnableBlocks(file: string, text: string): RunnableBlock[] {
  const lines = text.split('\n');
  const out: RunnableBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^<!-- runnable(?:\s+setup=([\w-]+))?\s*-->$/.exec(lines[i] as string);
    if (!m) continue;
    assert.match(
      lines[i + 1] ?? '',
      /^```sh$/,
      `${file}:${i + 1}: a runnable marker must precede a \`\`\`sh block`,
    );
    const block: RunnableBlock = { file, line: i + 2, setup: m[1] ?? 'empty', commands: [] };
    let j = i + 2;
    let pending = '';
    let start = j;
    for (; j < lines.length && lines[j] !== '```'; j++) {
      const l = lines[j] as string;
      if (pending === '') start = j;
      pending += (pending ? '\n' : '') + l;
      if (l.endsWith('\\')) continue;
      const cmd = pending;
      pending = '';
      if (cmd.trim() === '' || cmd.trim().startsWith('#')) continue;
      const exit = /\[exit (\d+)\]\s*$/.exec(cmd);
      block.commands.push({ line: start + 1, text: cmd, exit: exit ? Number(exit[1]) : 0 });
    }
    assert.ok(j < lines.length, `${file}:${i + 2}: unterminated code block`);
    out.push(block);
    i = j;
  }
  return out;
}

/** Prepares `dir` (a new empty directory whose parent is a scratch directory) for a block's setup. */
function setUp(setup: string, dir: string): void {
  const git = (...args: string[]) => {
    const r = spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  };
  const example = join(REPO, 'examples', 'platform');
  const copy = (from: string, to: string) =>
    cpSync(from, to, { recursive: true, filter: (src) => !/[\\/]\.evident[\\/](ledger|exports)/.test(src) });
  switch (setup) {
    case 'empty':
      break;
    case 'inputs': // a repository with infrastructure code and no evident.yaml yet
      copy(join(example, 'terraform'), join(dir, 'terraform'));
      copy(join(example, 'kubernetes'), join(dir, 'kubernetes'));
      break;
    case 'platform': // the example platform as a repository of its own
      copy(example, dir);
      break;
    default:
      assert.fail(`unknown runnable setup '${setup}'`);
  }
  git('init', '-q');
  git('add', '-A');
  git(
    '-c',
    'user.name=Docs',
    '-c',
    'user.email=docs@example.invalid',
    'commit',
    '-qm',
    'initial',
    '--allow-empty',
  );
}

/** The bash script for a block: each command, then a check of its exit status. */
function script(block: RunnableBlock): string {
  const parts = [
    // `npx evident` runs the built CLI; any other npx use is left alone
    `npx() { if [ "$1" = evident ]; then shift; node ${JSON.stringify(BIN)} "$@"; else command npx "$@"; fi; }`,
    `evident() { node ${JSON.stringify(BIN)} "$@"; }`,
  ];
  for (const c of block.commands) {
    const where = `${block.file}:${c.line}`;
    parts.push(
      c.text,
      `s=$?; if [ "$s" -ne ${c.exit} ]; then echo ${JSON.stringify(`runnable: ${where}: exit `)}"$s"${JSON.stringify(`, expected ${c.exit}: ${c.text.split('\n')[0]}`)} >&2; exit 100; fi`,
    );
  }
  return `${parts.join('\n')}\n`;
}

const files = [
  'README.md',
  ...readdirSync(join(REPO, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];
const blocks = files.flatMap((f) => runnableBlocks(f, readFileSync(join(REPO, f), 'utf8')));

test('the docs mark their command blocks as runnable (README: using it, evidence; evidence.md: one key per log)', () => {
  assert.ok(blocks.filter((b) => b.file === 'README.md').length >= 2, 'README.md has runnable blocks');
  assert.ok(blocks.length >= 3, `${blocks.length} runnable blocks`);
  for (const b of blocks) assert.ok(b.commands.length > 0, `${b.file}:${b.line}: empty runnable block`);
});

test('runnableBlocks reads markers, continuation lines and [exit N]', () => {
  const md = [
    'text',
    '<!-- runnable setup=inputs -->',
    '```sh',
    '# a comment',
    'a --x \\',
    '  --y        # joined [exit 1]',
    '',
    'b',
    '```',
  ].join('\n');
  const [b] = runnableBlocks('x.md', md);
  assert.deepEqual(b, {
    file: 'x.md',
    line: 3,
    setup: 'inputs',
    commands: [
      { line: 5, text: 'a --x \\\n  --y        # joined [exit 1]', exit: 1 },
      { line: 8, text: 'b', exit: 0 },
    ],
  });
});

describe('runnable command blocks of the docs', () => {
  for (const block of blocks) {
    test(`${block.file}:${block.line} (setup ${block.setup}, ${block.commands.length} commands)`, () => {
      const scratch = join(tmpdir(), `evident-docs-${process.pid}-${block.line}-${Date.now()}`);
      const dir = join(scratch, 'repo');
      const home = join(scratch, 'home');
      mkdirSync(dir, { recursive: true });
      mkdirSync(home, { recursive: true });
      try {
        setUp(block.setup, dir);
        const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, NO_COLOR: '1', CI: 'true' };
        for (const k of [
          'XDG_CONFIG_HOME',
          'EVIDENT_SIGNING_KEY',
          'EVIDENT_SIGNING_KEY_FILE',
          'EVIDENT_DEBUG',
        ])
          delete env[k];
        const r = spawnSync('bash', ['-c', script(block)], {
          cwd: dir,
          env,
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
          timeout: 120_000,
        });
        assert.equal(
          r.status,
          0,
          `${r.stderr.split('\n').slice(-15).join('\n')}\n--- stdout (end) ---\n${r.stdout.slice(-1500)}`,
        );
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    });
  }
});
