import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { loadChecks } from '../checks/registry.js';
import { type ControlMap, loadControlMap, starterControlMap } from '../control-map/index.js';
import { applyWaivers } from '../control-map/waivers.js';
import type { CheckDefinition } from '../core/check.js';
import type { Diagnostic } from '../core/errors.js';
import type { Facts } from '../core/facts.js';
import type { SourceLocation } from '../core/location.js';
import type { Severity } from '../core/outcome.js';
import type { ScannedInput, ScanResult } from '../core/scan-result.js';
import { VERSION } from '../core/version.js';
import { loadCatalog } from '../frameworks/catalog.js';
import { rollup, summarizeChecks } from '../frameworks/rollup.js';
import { loadTeamRules, policyDirsOf } from '../policy/team.js';
import { discoverInputs } from '../sources/discover.js';
import { claimInputs, loadSources, SOURCES } from '../sources/registry.js';
import { createCheckContext } from './check-context.js';
import { manualEvidenceResolver } from './manual-evidence.js';
import { CONTROL_MAP_FILE, locateRepository } from './repository.js';
import { runChecks } from './run-checks.js';
import { summarize } from './summarize.js';

/** The text of `file`, or '' when it cannot be read (loadControlMap reports that). */
function readTextOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Options of one scan; paths are as given by the user (resolved against cwd). */
export interface ScanOptions {
  /** Directory or single file to scan. */
  root: string;
  /**
   * evident.yaml path; default: the repository's map ({@link locateRepository}: the nearest
   * evident.yaml from the scan root up to its git work-tree root), else the built-in starter map.
   */
  config?: string;
  varFiles?: string[];
  vars?: Record<string, string>;
  /** Terraform workspace to evaluate `terraform.workspace` as; absent: it is not known statically. */
  workspace?: string;
  /** CloudFormation parameter and pseudo parameter values (`--parameter NAME=VALUE`). */
  cfnParameters?: Record<string, string>;
  exclude?: string[];
  failOn?: Severity;
  /**
   * Whether failures of checks that no control of the map lists fail the run (default true). The
   * built-in starter map lists every check, so this matters only for a map that lists a subset.
   */
  failOnUncontrolled?: boolean;
  /** Fingerprints of failing findings in a baseline result (see src/report/baseline.ts). */
  baseline?: ReadonlySet<string>;
  /** Scan time; injected so waivers and evidence ages are reproducible. */
  now?: Date;
  /**
   * Evidence log directory: manual evidence recorded there (`evident evidence add`) counts toward its
   * control until older than the control's maxAgeDays. Absent: manual controls stay `manual`.
   */
  ledgerDir?: string;
  /** Progress lines ("parsed 53 Terraform files"); the CLI decides how to show them. */
  onProgress?: (message: string) => void;
}

/** The scan result plus what the renderers and evidence recorder need beside it. */
export interface ScanRun {
  result: ScanResult;
  checks: CheckDefinition[];
  map: ControlMap;
}

/**
 * Runs a whole scan: discover files → sources claim and load them (facts, src/sources/registry.ts) →
 * checks (findings) → waivers → roll-up →
 * summary. Bad input files become diagnostics and the scan goes on; an invalid control map throws
 * EvidentError('E_CONFIG') before anything is evaluated.
 */
export async function runScan(opts: ScanOptions): Promise<ScanRun> {
  const started = opts.now ?? new Date();
  const now = opts.now ?? started;
  const progress = opts.onProgress ?? (() => {});
  const root = resolve(opts.root);
  const rootDir = statSync(root).isDirectory() ? root : dirname(root);

  const builtIns = await loadChecks();
  const found = opts.config ? resolve(opts.config) : locateRepository(rootDir).mapFile;
  const configPath = found ?? join(rootDir, CONTROL_MAP_FILE);
  const hasMap = found !== undefined;
  // Team policies first: the map may reference their ids (docs/policies.md "Team policies").
  const policies = hasMap
    ? policyDirsOf(configPath, readTextOrEmpty(configPath))
    : { dirs: [], explicit: false };
  const team = await loadTeamRules(policies.dirs, {
    builtIns,
    displayRoot: process.cwd(),
    required: policies.explicit,
  });
  if (team.length) progress(`team policies: ${team.length} rule${team.length === 1 ? '' : 's'}`);
  const checks = [...builtIns, ...team.map((t) => t.check)].sort((a, b) => a.id.localeCompare(b.id));
  const map = hasMap
    ? relativeLocations(loadControlMap(configPath, { checks }), rootDir)
    : starterControlMap(checks);
  progress(
    hasMap
      ? `control map: ${relative(process.cwd(), configPath) || configPath}`
      : 'control map: built-in starter map',
  );

  progress('discovering inputs');
  // Rule fixtures live in policies directories: never scan them as infrastructure.
  const policyExcludes = policies.dirs
    .map((d) => relative(rootDir, d).split('\\').join('/'))
    .filter((r) => r !== '' && !r.startsWith('..'));
  const discovered = await discoverInputs(root, { exclude: opts.exclude, alsoExclude: policyExcludes });
  const { claims, diagnostics: claimDiagnostics } = await claimInputs(discovered.files, rootDir);
  progress(
    `found ${
      claims
        .filter((c) => c.files.length > 0)
        .map((c) => `${c.files.length} ${c.source.title} files`)
        .join(', ') || 'no input files'
    }`,
  );

  const loaded = await loadSources(claims, {
    root: rootDir,
    options: {
      varFiles: opts.varFiles,
      vars: opts.vars,
      workspace: opts.workspace,
      cfnParameters: opts.cfnParameters,
    },
    progress,
  });
  const facts: Facts = loaded.facts;
  const factCount = Object.values(facts).reduce((n, list: unknown[]) => n + list.length, 0);
  progress(
    `evaluated ${Object.entries(loaded.counts)
      .map(([id, n]) => `${n} ${id}`)
      .join(', ')} facts`,
  );

  const inputs: ScannedInput[] = [...loaded.inputs];
  if (map.digest) {
    // the digest of the bytes the map was parsed from: the file is read once
    inputs.push({
      file: relative(rootDir, configPath).split('\\').join('/'),
      sha256: map.digest.sha256,
      kind: 'control-map',
      bytes: map.digest.bytes,
    });
  }
  // The team rules that judged this scan are evidence inputs too: the record names the exact rule text.
  for (const t of team) {
    const bytes = readFileSync(t.file);
    inputs.push({
      file: relative(rootDir, t.file).split('\\').join('/'),
      sha256: createHash('sha256').update(bytes).digest('hex'),
      kind: 'policy',
      bytes: bytes.length,
    });
  }
  inputs.sort((a, b) => a.file.localeCompare(b.file));
  const diagnostics: Diagnostic[] = [...discovered.diagnostics, ...claimDiagnostics, ...loaded.diagnostics];

  if (factCount === 0 && !diagnostics.some((d) => d.severity === 'error')) {
    diagnostics.push({
      severity: 'error',
      code: 'E_INPUT_UNSUPPORTED',
      file: opts.root,
      message: `no inputs found that a source reads (${SOURCES.map((s) => s.title).join(', ')}): nothing was evaluated, so nothing can pass. Check the path, or --exclude`,
    });
  }

  const ctx = createCheckContext(facts, now);
  const raw = runChecks(checks, facts, ctx);
  diagnostics.push(...ctx.model.diagnostics);
  const { findings, unused } = applyWaivers(raw, map.waivers, now);
  for (const w of unused) {
    diagnostics.push({
      severity: 'warning',
      code: 'E_CONFIG',
      file: w.location?.file ?? 'evident.yaml',
      line: w.location?.line,
      message: `waiver for ${w.check} on ${w.resource} matched no failing finding; remove it or fix its resource address`,
    });
  }
  progress(`ran ${checks.length} checks: ${findings.length} findings`);

  const summaries = summarizeChecks(checks, findings);
  const catalogs = map.frameworks.map((id) => loadCatalog(id));
  const { controls, frameworks } = rollup({
    map,
    catalogs,
    summaries,
    findings,
    now,
    manualEvidence: opts.ledgerDir ? await manualEvidenceResolver(map, opts.ledgerDir) : undefined,
  });

  const failOn = opts.failOn ?? 'info';
  const mapDigest = inputs.find((i) => i.kind === 'control-map');
  const result: ScanResult = {
    schemaVersion: '1',
    tool: { name: 'evident', version: VERSION },
    startedAt: started.toISOString(),
    finishedAt: (opts.now ?? new Date()).toISOString(),
    root: opts.root,
    controlMap: hasMap
      ? { file: mapDigest?.file, sha256: mapDigest?.sha256, builtIn: false }
      : { builtIn: true },
    inputs,
    skipped: [...discovered.skipped, ...loaded.skipped],
    diagnostics,
    checks: summaries,
    findings,
    controls,
    frameworks,
    summary: summarize(
      findings,
      diagnostics,
      failOn,
      opts.baseline,
      opts.failOnUncontrolled === false ? uncontrolledChecks(checks, map) : undefined,
    ),
  };
  return { result, checks, map };
}

/** Ids of the checks that no control of `map` lists. */
function uncontrolledChecks(checks: readonly CheckDefinition[], map: ControlMap): Set<string> {
  const listed = new Set(map.controls.flatMap((c) => c.checks));
  return new Set(checks.map((c) => c.id).filter((id) => !listed.has(id)));
}

/**
 * The map with every location (controls, waivers, notApplicable) made relative to the scan root,
 * POSIX, as every path in a ScanResult is (docs/scan-result.md): results and signed records never
 * carry the absolute path of the machine that ran the scan. A map outside the root gets `../` paths.
 */
function relativeLocations(map: ControlMap, rootDir: string): ControlMap {
  const rel = <T extends { location?: SourceLocation }>(x: T): T =>
    x.location
      ? {
          ...x,
          location: {
            ...x.location,
            file: relative(rootDir, resolve(x.location.file)).split('\\').join('/'),
          },
        }
      : x;
  return {
    ...map,
    controls: map.controls.map(rel),
    waivers: map.waivers.map(rel),
    notApplicable: map.notApplicable.map(rel),
  };
}
