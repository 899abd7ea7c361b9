import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Generated mutations of real inputs for the robustness suite: each is a corpus or repository file
 * with one deterministic change (seeded PRNG), in the syntax's own terms. `record-oracle.ts` records
 * what the reference tools say about each (Terraform, kubectl, a strict UTF-8 decoder, a strict JSON
 * or YAML parser); `mutations.test.ts` asserts that Evident refuses every input they refuse.
 */

/** Repository root and the third-party corpora (read in place, never copied into the repository). */
export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const CORPORA = fileURLToPath(new URL('../../../shared/corpora', import.meta.url));

/** Which reference tool judges an input, and how Evident reads it. */
export type InputKind = 'terraform' | 'kubernetes' | 'plan' | 'control-map';

/** One real input the mutations start from. */
export interface Seed {
  id: string;
  kind: InputKind;
  /** Directory whose files form the input (a Terraform module), the mutated file's name inside it. */
  dir?: string;
  /** Absolute path of the file that is mutated. */
  file: string;
  /** Also gets the expensive mutations (5 MB lines, alias bombs): one seed per kind, to keep the suite fast. */
  heavy?: boolean;
}

/** The real inputs (all valid for their reference tool; record-oracle.ts checks that). */
export const SEEDS: readonly Seed[] = [
  {
    id: 'terragoat-gcp',
    kind: 'terraform',
    dir: `${CORPORA}/terragoat/terraform/gcp`,
    file: `${CORPORA}/terragoat/terraform/gcp/gcs.tf`,
    heavy: true,
  },
  {
    id: 'terragoat-gcp-net',
    kind: 'terraform',
    dir: `${CORPORA}/terragoat/terraform/gcp`,
    file: `${CORPORA}/terragoat/terraform/gcp/networks.tf`,
  },
  {
    id: 'terragoat-oracle',
    kind: 'terraform',
    dir: `${CORPORA}/terragoat/terraform/oracle`,
    file: `${CORPORA}/terragoat/terraform/oracle/compartment.tf`,
  },
  {
    id: 'goat-cache-store',
    kind: 'kubernetes',
    file: `${CORPORA}/kubernetes-goat/scenarios/cache-store/deployment.yaml`,
    heavy: true,
  },
  {
    id: 'goat-batch-check',
    kind: 'kubernetes',
    file: `${CORPORA}/kubernetes-goat/scenarios/batch-check/job.yaml`,
  },
  {
    id: 'goat-insecure-rbac',
    kind: 'kubernetes',
    file: `${CORPORA}/kubernetes-goat/scenarios/insecure-rbac/setup.yaml`,
  },
  {
    id: 'goat-health-check',
    kind: 'kubernetes',
    file: `${CORPORA}/kubernetes-goat/scenarios/health-check/deployment.yaml`,
  },
  {
    id: 'plan-1.11',
    kind: 'plan',
    file: `${REPO}src/sources/terraform-plan/fixtures/real/terraform-1.11-plan.json`,
    heavy: true,
  },
  { id: 'platform-map', kind: 'control-map', file: `${REPO}examples/platform/evident.yaml`, heavy: true },
];

/** A mutation: the seed, the operation, and the bytes it produces. */
export interface Mutation {
  /** `seed/op/n`, stable across runs. */
  id: string;
  seed: Seed;
  op: string;
  /** The mutated file's bytes. */
  bytes: Buffer;
  /** sha256 of `bytes`: ties an oracle verdict to exactly these bytes. */
  sha256: string;
}

/** mulberry32: a small seeded PRNG, so every run generates the same mutations. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedOf(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32LE(0);
}

type Op = (src: Buffer, r: () => number, seed: Seed) => Buffer | undefined;

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const at = (r: () => number, n: number, lo = 0.1, hi = 0.9) => Math.floor(n * (lo + r() * (hi - lo)));
const insert = (src: Buffer, i: number, b: Buffer) => Buffer.concat([src.subarray(0, i), b, src.subarray(i)]);

/** Lines of the text with their byte offsets (the sources are ASCII or UTF-8). */
function lines(src: Buffer): { start: number; text: string }[] {
  const out: { start: number; text: string }[] = [];
  let start = 0;
  for (const text of src.toString('utf8').split('\n')) {
    out.push({ start, text });
    start += Buffer.byteLength(text, 'utf8') + 1;
  }
  return out;
}

const FLIP_BYTES = [
  0x00, 0xff, 0x22, 0x7b, 0x7d, 0x5b, 0x5d, 0x3a, 0x3d, 0x0a, 0x20, 0x2c, 0x23, 0x09, 0x2d, 0x27,
];
const BAD_UTF8 = [
  [0xff],
  [0xc3],
  [0xed, 0xa0, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xc0, 0xaf],
  [0xe2, 0x82],
];
const DEEP = 10_000;
const HUGE = 5 * 1024 * 1024;

/** Operations every syntax gets: truncation, byte flips, invalid UTF-8, NUL and control characters. */
const COMMON: Record<string, Op> = {
  truncate: (src, r) => src.subarray(0, at(r, src.length)),
  flip: (src, r) => {
    const out = Buffer.from(src);
    out[at(r, src.length, 0, 1)] = pick(r, FLIP_BYTES);
    return out;
  },
  'invalid-utf8': (src, r) => insert(src, at(r, src.length, 0.3, 1), Buffer.from(pick(r, BAD_UTF8))),
  nul: (src, r) => insert(src, at(r, src.length, 0.5, 1), Buffer.from([0])),
  'control-char': (src, r) =>
    insert(src, at(r, src.length, 0, 1), Buffer.from([pick(r, [0x01, 0x1b, 0x7f, 0x08])])),
};

/** A line of the form `name = value` / `name: value` (an argument, a mapping entry). */
const ASSIGNMENT: Record<InputKind, RegExp> = {
  terraform: /^\s*[A-Za-z_][\w-]*\s*=\s*[^{[(\s<][^{[(<]*$/,
  kubernetes: /^\s+[A-Za-z_][\w.-]*:\s+\S.*$/,
  'control-map': /^\s+[A-Za-z_][\w.-]*:\s+\S.*$/,
  plan: /^$/,
};

const SYNTAX: Record<InputKind, Record<string, Op>> = {
  terraform: {
    'duplicate-argument': (src, r) => {
      const ls = lines(src).filter((l) => ASSIGNMENT.terraform.test(l.text));
      if (!ls.length) return undefined;
      const l = pick(r, ls);
      return insert(src, l.start, Buffer.from(`${l.text}\n`));
    },
    'join-lines': (src, r) => {
      const ls = lines(src);
      const pairs = ls
        .slice(0, -1)
        .filter(
          (l, i) => ASSIGNMENT.terraform.test(l.text) && ASSIGNMENT.terraform.test(ls[i + 1]?.text ?? ''),
        );
      if (!pairs.length) return undefined;
      const l = pick(r, pairs);
      const nl = l.start + Buffer.byteLength(l.text);
      // `a = 1\n  b = 2` becomes `a = 1 b = 2`: two arguments on one line.
      return Buffer.concat([
        src.subarray(0, nl),
        Buffer.from(
          ` ${src
            .subarray(nl + 1)
            .toString('utf8')
            .replace(/^[ \t]+/, '')}`,
        ),
      ]);
    },
    'duplicate-block': (src) => {
      const text = src.toString('utf8');
      const m = /^resource "[^"]+" "[^"]+" \{/m.exec(text);
      if (!m) return undefined;
      let depth = 0;
      for (let i = m.index; i < text.length; i++) {
        if (text[i] === '{') depth++;
        else if (text[i] === '}' && --depth === 0)
          return Buffer.from(`${text}\n${text.slice(m.index, i + 1)}\n`);
      }
      return undefined;
    },
    'rename-reference': (src, r) => {
      const text = src.toString('utf8');
      const refs = [
        ...text.matchAll(/\b(?:var|local)\.[A-Za-z_][\w-]*|\b(?:google|oci|aws)_[a-z_]+\.[A-Za-z_][\w-]*/g),
      ];
      if (!refs.length) return undefined;
      const m = pick(r, refs);
      const end = (m.index ?? 0) + m[0].length;
      return Buffer.from(`${text.slice(0, end)}_renamed${text.slice(end)}`);
    },
    'unknown-block': (src) =>
      Buffer.concat([src, Buffer.from('\nresourc "google_storage_bucket" "typo" {\n}\n')]),
    'single-line-block': (src) => Buffer.concat([src, Buffer.from('\nlocals { a = 1  b = 2 }\n')]),
    'deep-nesting': (src) =>
      Buffer.concat([src, Buffer.from(`\nlocals {\n  deep = ${'['.repeat(DEEP)}1${']'.repeat(DEEP)}\n}\n`)]),
    'huge-line': (src) =>
      Buffer.concat([src, Buffer.from(`\nlocals {\n  huge = "${'x'.repeat(HUGE)}"\n}\n`)]),
  },
  kubernetes: {
    'duplicate-key': (src, r) => {
      const ls = lines(src).filter((l) => ASSIGNMENT.kubernetes.test(l.text));
      if (!ls.length) return undefined;
      const l = pick(r, ls);
      return insert(src, l.start, Buffer.from(`${l.text}\n`));
    },
    'tab-indent': (src, r) => {
      const ls = lines(src).filter((l) => /^ {2,}\S/.test(l.text));
      if (!ls.length) return undefined;
      const l = pick(r, ls);
      return Buffer.concat([src.subarray(0, l.start), Buffer.from('\t'), src.subarray(l.start + 2)]);
    },
    'drop-kind': (src) => Buffer.from(src.toString('utf8').replace(/^kind:.*\n/m, '')),
    'kind-not-string': (src) => Buffer.from(src.toString('utf8').replace(/^kind:.*$/m, 'kind: [Deployment]')),
    'deep-nesting': (src) =>
      Buffer.concat([src, Buffer.from(`\n---\ndeep: ${'['.repeat(DEEP)}${']'.repeat(DEEP)}\n`)]),
    'huge-line': (src) => Buffer.concat([src, Buffer.from(`\n---\nhuge: [${'1, '.repeat(HUGE / 3)}1]\n`)]),
    'alias-bomb': (src) =>
      Buffer.concat([
        src,
        Buffer.from(
          `\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  a: &a "${'x'.repeat(1024 * 1024)}"\n  b: [${Array.from({ length: 999 }, () => '*a').join(', ')}]\n`,
        ),
      ]),
  },
  plan: {
    'deep-nesting': (src) =>
      Buffer.from(src.toString('utf8').replace('{', `{"deep": ${'['.repeat(DEEP)}${']'.repeat(DEEP)}, `)),
    'huge-line': (src) => Buffer.from(src.toString('utf8').replace('{', `{"huge": "${'x'.repeat(HUGE)}", `)),
    'duplicate-key': (src) => Buffer.from(src.toString('utf8').replace('{', '{"format_version": "9.9", ')),
  },
  'control-map': {
    'duplicate-key': (src, r) => {
      const ls = lines(src).filter((l) => ASSIGNMENT['control-map'].test(l.text));
      if (!ls.length) return undefined;
      const l = pick(r, ls);
      return insert(src, l.start, Buffer.from(`${l.text}\n`));
    },
    'tab-indent': (src, r) => {
      const ls = lines(src).filter((l) => /^ {2,}\S/.test(l.text));
      if (!ls.length) return undefined;
      const l = pick(r, ls);
      return Buffer.concat([src.subarray(0, l.start), Buffer.from('\t'), src.subarray(l.start + 2)]);
    },
    'deep-nesting': (src) =>
      Buffer.concat([src, Buffer.from(`\nx-deep: ${'['.repeat(DEEP)}${']'.repeat(DEEP)}\n`)]),
    'alias-bomb': (src) =>
      Buffer.concat([
        src,
        Buffer.from(
          `\nx-big: &big "${'x'.repeat(1024 * 1024)}"\nx-copies: [${Array.from({ length: 999 }, () => '*big').join(', ')}]\n`,
        ),
      ]),
  },
};

/** Operations that cost seconds each: applied to the `heavy` seeds only. */
const HEAVY = new Set(['huge-line', 'alias-bomb']);

/** How many times each operation is applied (with different random draws) per seed. */
const REPEAT: Record<string, number> = { truncate: 3, flip: 4, 'invalid-utf8': 2, nul: 1, 'control-char': 2 };

/** Every mutation of every seed, in a stable order. */
export function generateMutations(): Mutation[] {
  const out: Mutation[] = [];
  for (const seed of SEEDS) {
    const src = readFileSync(seed.file);
    // The seed itself: every reference tool accepts it, and so must Evident (no input error).
    out.push({
      id: `${seed.id}/original/0`,
      seed,
      op: 'original',
      bytes: src,
      sha256: createHash('sha256').update(src).digest('hex'),
    });
    const ops = { ...COMMON, ...SYNTAX[seed.kind] };
    for (const [name, op] of Object.entries(ops)) {
      if (HEAVY.has(name) && !seed.heavy) continue;
      const times = REPEAT[name] ?? 1;
      for (let n = 0; n < times; n++) {
        const id = `${seed.id}/${name}/${n}`;
        const bytes = op(src, rng(seedOf(id)), seed);
        if (!bytes || bytes.equals(src)) continue;
        out.push({ id, seed, op: name, bytes, sha256: createHash('sha256').update(bytes).digest('hex') });
      }
    }
  }
  return out;
}

/** The other files of a Terraform seed's module (copied beside the mutated file). */
export function moduleFiles(seed: Seed): { name: string; bytes: Buffer }[] {
  if (!seed.dir) return [];
  return readdirSync(seed.dir)
    .filter((n) => n.endsWith('.tf') && path.join(seed.dir as string, n) !== seed.file)
    .sort()
    .map((name) => ({ name, bytes: readFileSync(path.join(seed.dir as string, name)) }));
}

/** The verdict the reference tools gave for one mutation (test/robustness/oracle.json). */
export interface Verdict {
  sha256: string;
  /** `reject` when the reference tool (or the strict UTF-8 decoder) refuses the input. */
  verdict: 'reject' | 'accept';
  /** The command that judged it and the first thing it said. */
  by: string;
  said: string;
}
