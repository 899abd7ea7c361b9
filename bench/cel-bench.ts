// Speed of Evident's three-valued CEL evaluator (src/cel/compile.ts) against the CEL library's own
// evaluator (@marcbachmann/cel-js Environment.parse(...)(context)) on the same expressions and data,
// each compiled once. Reference: the library. Prints evaluations per second and the ratio.
// Run: `npm run bench:cel` (BENCH_MS per expression and side, default 400).
import { Environment } from '@marcbachmann/cel-js';
import { compileExpression, isProblem } from '../src/cel/environment.js';
import { RuleHost } from '../src/cel/host.js';
import { createCheckContext } from '../src/engine/check-context.js';
import { emptyFacts } from '../src/sources/registry.js';

const MS = Number(process.env.BENCH_MS ?? 400);

const resource = {
  bucket: 'acme-data',
  enable_key_rotation: true,
  versioning: [{ enabled: true, mfa_delete: false }],
  tags: { owner: 'platform', env: 'prod', DataClass: 'confidential' },
  ingress: Array.from({ length: 6 }, (_, i) => ({
    from_port: 20 + i * 100,
    to_port: 30 + i * 100,
    protocol: 'tcp',
    cidr_blocks: [`10.${i}.0.0/16`, '192.168.0.0/24'],
  })),
  spec: {
    template: {
      spec: {
        containers: Array.from({ length: 4 }, (_, i) => ({
          name: `c${i}`,
          image: `registry.example/app:${i}.0`,
          resources: { limits: { memory: '512Mi', cpu: '1' } },
          securityContext: { privileged: false, allowPrivilegeEscalation: false },
        })),
      },
    },
  },
};

const EXPRESSIONS = [
  'resource.enable_key_rotation == true',
  'has(resource.versioning) && resource.versioning.exists(v, v.enabled == true)',
  '!resource.ingress.exists(r, "0.0.0.0/0" in r.cidr_blocks && r.from_port <= 22.0 && r.to_port >= 22.0)',
  '"owner" in resource.tags && resource.tags.owner != ""',
  'resource.spec.template.spec.containers.all(c, has(c.resources.limits) && has(c.resources.limits.memory))',
  '!resource.spec.template.spec.containers.exists(c, c.securityContext.privileged == true)',
  'resource.spec.template.spec.containers.all(c, c.image.matches("^[^:]+:[0-9.]+$"))',
  'size(resource.ingress.filter(r, r.protocol == "tcp")) <= 10',
];

function rate(fn: () => unknown): number {
  for (let i = 0; i < 2000; i++) fn(); // warm up
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < MS) {
    for (let i = 0; i < 500; i++) fn();
    n += 500;
    t = performance.now();
  }
  return (n * 1000) / (t - t0);
}

const lib = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false });
const host = new RuleHost(createCheckContext(emptyFacts(), new Date(0)));
host.addRoot(resource, 'resource');
const activation = { vars: { resource, address: 'x', resourceType: 't', provider: 'aws' }, slots: [], host };

let ours = 0;
let theirs = 0;
console.log('evaluations per second (each expression compiled once)');
for (const expr of EXPRESSIONS) {
  const c = compileExpression(expr, 'terraform');
  if (isProblem(c)) throw new Error(`${expr}: ${c.message}`);
  const fn = lib.parse(expr);
  const context = { resource };
  const a = c.program(activation);
  const b = fn(context);
  if (a !== b) throw new Error(`${expr}: Evident ${String(a)} vs library ${String(b)}`);
  const r1 = rate(() => c.program(activation));
  const r2 = rate(() => fn(context));
  ours += 1 / r1;
  theirs += 1 / r2;
  console.log(
    `${(r1 / 1e6).toFixed(2).padStart(6)} M/s evident  ${(r2 / 1e6).toFixed(2).padStart(6)} M/s library  ratio ${(r1 / r2).toFixed(2)}  ${expr}`,
  );
}
console.log(
  `\nall expressions: evident ${(EXPRESSIONS.length / ours / 1e6).toFixed(2)} M/s, library ${(EXPRESSIONS.length / theirs / 1e6).toFixed(2)} M/s, ratio evident/library ${(theirs / ours).toFixed(2)} (>1: Evident faster)`,
);
