// Speed of the Kubernetes YAML source on a large manifest set. Run:
//   node --import tsx bench/kubernetes-bench.ts
// Generates (in a temp dir, removed afterwards) 2,000 files of 1–5 documents each (Deployments, Services,
// ConfigMaps, CronJobs, ~1 MB) plus one ~5 MB multi-document file, then times, each in a fresh process
// (median of BENCH_RUNS, default 5): `loadKubernetes` (evident), and the same files read (readFileSync) and
// parsed with plain `yaml.parseAllDocuments` defaults + `.toJS()` (baseline: the library's own speed).
// Prints docs/s, MB/s, peak RSS and the ratio evident/baseline. BENCH_BEFORE=path/to/module.ts also times
// that module's loadKubernetes (an older version: before/after). Runs are interleaved round by round, so
// load from other processes hits every series alike. Times are of the load call inside the fresh
// process (cold JIT), not process start-up.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const self = fileURLToPath(import.meta.url);
const repo = path.resolve(path.dirname(self), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

interface Sample {
  ms: number;
  docs: number;
  bytes: number;
  maxRssMb: number;
  facts?: number;
}

/** Deterministic PRNG (mulberry32) so every run measures the same manifests. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function deployment(r: () => number, i: number): string {
  const name = `svc-${i}`;
  const envs = Array.from(
    { length: 1 + Math.floor(r() * 6) },
    (_, k) => `            - name: ENV_${k}\n              value: "value-${k}-${i}"`,
  ).join('\n');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: team-${i % 17}
  labels:
    app: ${name}
    tier: backend
  annotations:
    deployment.kubernetes.io/revision: "${1 + (i % 9)}"
spec:
  replicas: ${1 + (i % 4)}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      serviceAccountName: ${name}
      securityContext:
        runAsNonRoot: ${r() < 0.5 ? 'true' : 'false'}
        fsGroup: 2000
      containers:
        - name: app
          image: registry.example.com/${name}:1.${i % 50}.${i % 7}
          imagePullPolicy: IfNotPresent
          ports:
            - containerPort: 8080
              protocol: TCP
          env:
${envs}
          resources:
            limits:
              cpu: 500m
              memory: 256Mi
            requests:
              cpu: 100m
              memory: 128Mi
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
          livenessProbe:
            httpGet:
              path: /healthz
              port: 8080
            initialDelaySeconds: 10
`;
}

function service(i: number): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: svc-${i}
  namespace: team-${i % 17}
spec:
  type: ClusterIP
  selector:
    app: svc-${i}
  ports:
    - name: http
      port: 80
      targetPort: 8080
`;
}

function configMap(r: () => number, i: number): string {
  const keys = Array.from(
    { length: 2 + Math.floor(r() * 8) },
    (_, k) => `  key_${k}: "${'x'.repeat(10 + Math.floor(r() * 40))}"`,
  ).join('\n');
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg-${i}
  namespace: team-${i % 17}
data:
${keys}
  config.yaml: |
    log_level: info
    enabled: yes
    retries: 3
`;
}

function cronJob(i: number): string {
  return `apiVersion: batch/v1
kind: CronJob
metadata:
  name: job-${i}
  namespace: team-${i % 17}
spec:
  schedule: "${i % 60} 3 * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      backoffLimit: 2
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: job
              image: registry.example.com/job:${i % 13}
              args: ["--once", "--verbose"]
              resources:
                limits: {cpu: 200m, memory: 64Mi}
`;
}

function randomDoc(r: () => number, i: number): string {
  const x = r();
  if (x < 0.4) return deployment(r, i);
  if (x < 0.65) return service(i);
  if (x < 0.9) return configMap(r, i);
  return cronJob(i);
}

/** Writes the manifest set under `dir`; returns the relative file list. */
function generate(dir: string): string[] {
  const r = rng(20240611);
  const files: string[] = [];
  let n = 0;
  for (let f = 0; f < 2000; f++) {
    const sub = `app-${Math.floor(f / 50)}`;
    mkdirSync(path.join(dir, sub), { recursive: true });
    const docs = Array.from({ length: 1 + Math.floor(r() * 5) }, () => randomDoc(r, n++));
    const rel = `${sub}/manifest-${f}.yaml`;
    writeFileSync(path.join(dir, rel), docs.join('---\n'));
    files.push(rel);
  }
  const big: string[] = [];
  let size = 0;
  while (size < 5 * 1024 * 1024) {
    const d = randomDoc(r, n++);
    big.push(d);
    size += d.length + 4;
  }
  writeFileSync(path.join(dir, 'all-in-one.yaml'), big.join('---\n'));
  files.push('all-in-one.yaml');
  return files;
}

/** Child mode: one cold measurement, printed as a JSON line. */
async function once(mode: Mode, dir: string): Promise<void> {
  const files = JSON.parse(readFileSync(path.join(dir, 'files.json'), 'utf8')) as string[];
  if (mode !== 'baseline') {
    // 'before': the module named by BENCH_BEFORE (e.g. an older load-kubernetes.ts), for before/after.
    const mod =
      mode === 'before'
        ? path.resolve(repo, process.env.BENCH_BEFORE ?? '')
        : path.join(repo, 'src/sources/kubernetes/load-kubernetes.ts');
    const { loadKubernetes } = (await import(
      pathToFileURL(mod).href
    )) as typeof import('../src/sources/kubernetes/load-kubernetes.js');
    const t0 = performance.now();
    const res = await loadKubernetes(dir, files);
    const ms = performance.now() - t0;
    const bytes = res.inputs.reduce((s, x) => s + x.bytes, 0);
    const sample: Sample = {
      ms,
      docs: res.facts.length,
      bytes,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      facts: res.facts.length,
    };
    console.log(JSON.stringify(sample));
  } else {
    const { parseAllDocuments } = await import('yaml');
    const t0 = performance.now();
    let docs = 0;
    let bytes = 0;
    for (const f of files) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      bytes += Buffer.byteLength(text);
      const all = parseAllDocuments(text);
      for (const d of Array.isArray(all) ? all : []) {
        d.toJS();
        docs++;
      }
    }
    const ms = performance.now() - t0;
    console.log(JSON.stringify({ ms, docs, bytes, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  }
}

type Mode = 'evident' | 'before' | 'baseline';

/** One cold measurement of `mode` in a fresh process. */
function measure(mode: Mode, dir: string): Sample {
  const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--once', mode, dir], {
    cwd: repo,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !last.startsWith('{'))
    throw new Error(`${mode} run failed (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(last) as Sample;
}

/** RUNS rounds; each round runs every mode once, interleaved, so machine load affects them alike. */
function run(modes: Mode[], dir: string): Map<Mode, Sample[]> {
  const out = new Map<Mode, Sample[]>(modes.map((m) => [m, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const mode of modes) {
      const s = measure(mode, dir);
      out.get(mode)?.push(s);
      console.log(
        `  ${mode} run ${i + 1}: ${(s.ms / 1000).toFixed(2)} s, peak RSS ${s.maxRssMb.toFixed(0)} MB`,
      );
    }
  }
  return out;
}

function summary(label: string, samples: Sample[]): number {
  const med = [...samples].sort((a, b) => a.ms - b.ms)[Math.floor(samples.length / 2)]!;
  const s = med.ms / 1000;
  const peak = Math.max(...samples.map((x) => x.maxRssMb));
  console.log(
    `${label}: median ${s.toFixed(2)} s, ${(med.docs / s).toFixed(0)} docs/s, ${(med.bytes / 1024 / 1024 / s).toFixed(2)} MB/s, peak RSS ${peak.toFixed(0)} MB (${med.docs} docs, ${(med.bytes / 1024 / 1024).toFixed(2)} MB)`,
  );
  return med.ms;
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--once');
  if (i >= 0) {
    await once(process.argv[i + 1] as Mode, process.argv[i + 2] ?? '');
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'evident-k8s-bench-'));
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      cleanUp();
      process.exit(130);
    });
  }
  try {
    const files = generate(dir);
    writeFileSync(path.join(dir, 'files.json'), JSON.stringify(files));
    console.log(`generated ${files.length} files in ${dir}; ${RUNS} runs each, fresh process per run`);
    const modes: Mode[] = process.env.BENCH_BEFORE
      ? ['before', 'evident', 'baseline']
      : ['evident', 'baseline'];
    const res = run(modes, dir);
    console.log('');
    const e = summary('evident loadKubernetes', res.get('evident') ?? []);
    const b = summary('baseline yaml.parseAllDocuments + toJS', res.get('baseline') ?? []);
    console.log(`ratio evident / baseline: ${(e / b).toFixed(2)}`);
    if (process.env.BENCH_BEFORE) {
      const before = summary(`before (${process.env.BENCH_BEFORE})`, res.get('before') ?? []);
      console.log(
        `ratio before / baseline: ${(before / b).toFixed(2)}; speed-up before -> evident: ${(before / e).toFixed(2)}x`,
      );
    }
  } finally {
    cleanUp();
  }
}

await main();
