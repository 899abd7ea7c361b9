/**
 * Records what the reference tools say about every generated mutation (mutations.ts) into
 * oracle.json, which mutations.test.ts reads (CI has none of these tools). Run it where they are
 * installed, offline:
 *
 *   node --import tsx test/robustness/record-oracle.ts
 *
 * Judges, per input kind (any input that is not strict UTF-8 is rejected first, by
 * `new TextDecoder('utf-8', { fatal: true })`):
 * - terraform: `terraform validate -json` (Terraform 1.11) in a copy of the module, without provider
 *   plugins (their absence, "Missing required provider", is not counted);
 * - kubernetes: `kubectl annotate --local -f FILE evident=x -o name` (kubectl 1.32, client-side
 *   decoding, no cluster);
 * - plan: Python's json module (RFC 8259; NaN and Infinity refused);
 * - control-map: PyYAML `safe_load` (a RecursionError is Python's stack, not a YAML error: accepted).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateMutations, type Mutation, moduleFiles, type Verdict } from './mutations.js';

const OUT = new URL('./oracle.json', import.meta.url);

function firstLine(s: string): string {
  return (s.split('\n').find((l) => l.trim() !== '') ?? '').trim().slice(0, 200);
}

function strictUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function terraform(m: Mutation, dir: string): Verdict {
  for (const f of moduleFiles(m.seed)) writeFileSync(path.join(dir, f.name), f.bytes);
  writeFileSync(path.join(dir, path.basename(m.seed.file)), m.bytes);
  writeFileSync(path.join(dir, '.terraformrc'), '');
  const r = spawnSync('terraform', ['validate', '-json', '-no-color'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, TF_CLI_CONFIG_FILE: path.join(dir, '.terraformrc'), TF_IN_AUTOMATION: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const out = JSON.parse(r.stdout) as {
    diagnostics: {
      severity: string;
      summary: string;
      range?: { filename: string; start: { line: number } };
    }[];
  };
  const errors = out.diagnostics.filter(
    (d) => d.severity === 'error' && d.summary !== 'Missing required provider',
  );
  const first = errors[0];
  return {
    sha256: m.sha256,
    verdict: errors.length ? 'reject' : 'accept',
    by: 'terraform validate -json (Terraform 1.11.4)',
    said: first
      ? `${first.summary}${first.range ? ` (${first.range.filename}:${first.range.start.line})` : ''}`
      : 'valid',
  };
}

function kubectl(m: Mutation, dir: string): Verdict {
  const file = path.join(dir, path.basename(m.seed.file));
  writeFileSync(file, m.bytes);
  const r = spawnSync('kubectl', ['annotate', '--local', '-f', file, 'evident=x', '-o', 'name'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, KUBECONFIG: path.join(dir, 'no-kubeconfig') },
  });
  const failed = r.status !== 0 || /error|unable to/i.test(r.stderr);
  return {
    sha256: m.sha256,
    verdict: failed ? 'reject' : 'accept',
    by: 'kubectl annotate --local -f FILE (kubectl 1.32.4)',
    said: failed ? firstLine(r.stderr) : firstLine(r.stdout),
  };
}

function python(m: Mutation, dir: string, code: string, by: string): Verdict {
  const file = path.join(dir, 'input');
  writeFileSync(file, m.bytes);
  const r = spawnSync('python3', ['-c', code, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const said = firstLine(r.stdout);
  return { sha256: m.sha256, verdict: said.startsWith('reject') ? 'reject' : 'accept', by, said };
}

const PY_JSON = `
import json, sys
def const(x): raise ValueError('non-standard constant ' + x)
try:
    json.loads(open(sys.argv[1], 'rb').read().decode('utf-8'), parse_constant=const)
    print('accept')
except Exception as e:
    print('reject: ' + type(e).__name__ + ': ' + str(e)[:150])
`;

const PY_YAML = `
import yaml, sys
try:
    yaml.safe_load(open(sys.argv[1], 'rb').read().decode('utf-8'))
    print('accept')
except RecursionError:
    print('accept: RecursionError (Python stack, not a YAML error)')
except Exception as e:
    print('reject: ' + type(e).__name__ + ': ' + str(e).splitlines()[0][:150])
`;

function judge(m: Mutation): Verdict {
  if (!strictUtf8(m.bytes)) {
    return {
      sha256: m.sha256,
      verdict: 'reject',
      by: "new TextDecoder('utf-8', { fatal: true })",
      said: 'not valid UTF-8',
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'evident-oracle-'));
  try {
    switch (m.seed.kind) {
      case 'terraform':
        return terraform(m, dir);
      case 'kubernetes':
        return kubectl(m, dir);
      case 'plan':
        return python(m, dir, PY_JSON, 'python3 json.loads (RFC 8259)');
      case 'control-map':
        return python(
          m,
          dir,
          PY_YAML,
          `python3 yaml.safe_load (PyYAML ${execFileSync('python3', ['-c', 'import yaml; print(yaml.__version__)'], { encoding: 'utf8' }).trim()})`,
        );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const verdicts: Record<string, Verdict> = {};
const mutations = generateMutations();
for (const m of mutations) {
  verdicts[m.id] = judge(m);
  process.stdout.write(`${m.id}: ${verdicts[m.id]?.verdict} (${verdicts[m.id]?.said})\n`);
}
writeFileSync(OUT, `${JSON.stringify(verdicts, null, 1)}\n`);
process.stdout.write(`recorded ${mutations.length} verdicts in ${OUT.pathname}\n`);
