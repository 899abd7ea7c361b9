import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { ControlMap } from '../control-map/index.js';
import { type CheckDefinition, DEFAULT_SLA } from '../core/check.js';
import type { Diagnostic } from '../core/errors.js';
import type { Facts } from '../core/facts.js';
import { resolveLimits, type ScanLimits } from '../core/limits.js';
import type { SourceLocation } from '../core/location.js';
import type { Severity } from '../core/outcome.js';
import type { ScannedInput, ScanResult } from '../core/scan-result.js';
import { VERSION } from '../core/version.js';
import { loadCatalog } from '../frameworks/catalog.js';
import { rollup, summarizeChecks } from '../frameworks/rollup.js';
import { discoverInputs } from '../sources/discover.js';
import { capClaimedBytes } from '../sources/input-budget.js';
import { claimInputs, loadSources, SOURCES } from '../sources/registry.js';
import { clockHistoryOf, readSightings } from './clock-history.js';
import { manualEvidenceResolver } from './manual-evidence.js';
import { locateRepository } from './repository.js';
import { evaluateFacts, loadRuleSet } from './rule-set.js';
import { summarize } from './summarize.js';

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
  /** Scan git history for secrets (overrides evident.yaml `secrets.history`). */
  secretsHistory?: boolean;
  /** gitleaks TOML rules file (overrides evident.yaml `secrets.rules`). */
  secretRules?: string;
  /** OSV database directory or all.zip (overrides evident.yaml `dependencies.osv`). */
  osv?: string;
  /** Run only these sources and the checks that read their facts (`evident secrets`: `['secrets']`). */
  onlySources?: string[];
  /** Real time of the run (tests); default the wall clock. `now` may differ (`--now`). */
  runAt?: Date;
  /** Resource limits that differ from the defaults (`--limit NAME=VALUE`; core/limits.ts). */
  limits?: Partial<ScanLimits>;
}

/** The scan result plus what the renderers and evidence recorder need beside it. */
export interface ScanRun {
  result: ScanResult;
  checks: CheckDefinition[];
  map: ControlMap;
  /**
   * Where secrets were found in working-tree files: POSIX path (relative to the scan root) →
   * `[start, end)` UTF-16 offsets in the file's UTF-8 text. Evidence blobs of these files are stored
   * redacted (src/evidence/record-scan.ts). Never holds a secret.
   */
  redactions: Map<string, [number, number][]>;
  /** Facts the sources produced (the SBOM is written from them). */
  facts: Facts;
}

/**
 * Runs a whole scan: discover files → sources claim and load them (facts, src/sources/registry.ts) →
 * checks (findings) → waivers → roll-up →
 * summary. Bad input files become diagnostics and the scan goes on; an invalid control map throws
 * EvidentError('E_CONFIG') before anything is evaluated.
 */
export async function runScan(opts: ScanOptions): Promise<ScanRun> {
  const started = opts.runAt ?? new Date();
  const now = opts.now ?? started;
  const progress = opts.onProgress ?? (() => {});
  const root = resolve(opts.root);
  const rootDir = statSync(root).isDirectory() ? root : dirname(root);

  const only = opts.onlySources ? new Set(opts.onlySources) : undefined;
  const sources = only ? SOURCES.filter((x) => only.has(x.id)) : SOURCES;
  const families = new Set(sources.map((x) => x.facts as string));
  const repository = locateRepository(rootDir);
  const limits = resolveLimits(opts.limits);
  const rules = await loadRuleSet({ rootDir, config: opts.config, limits });
  const { team, configPath, hasMap } = rules;
  if (team.length) progress(`team policies: ${team.length} rule${team.length === 1 ? '' : 's'}`);
  // a partial run (`evident secrets`, `evident sbom`) runs only the checks of its sources
  const checks = rules.checks.filter((c) => !only || families.has(c.input));
  const fullMap = hasMap ? relativeLocations(rules.map, rootDir) : rules.map;
  const map = only ? partialMap(fullMap, new Set(checks.map((c) => c.id))) : fullMap;
  progress(
    hasMap
      ? `control map: ${relative(process.cwd(), configPath) || configPath}`
      : 'control map: built-in starter map',
  );

  progress('discovering inputs');
  // Rule fixtures live in policies directories: never scan them as infrastructure.
  const policyExcludes = rules.policyDirs
    .map((d) => relative(rootDir, d).split('\\').join('/'))
    .filter((r) => r !== '' && !r.startsWith('..'));
  const discovered = await discoverInputs(root, {
    exclude: opts.exclude,
    alsoExclude: policyExcludes,
    limits,
  });
  const { claims, diagnostics: claimDiagnostics } = await claimInputs(discovered.files, rootDir, sources);
  claimDiagnostics.push(...(await capClaimedBytes(claims, limits.bytes)));
  progress(
    `found ${
      claims
        .filter((c) => c.files.length > 0)
        .map((c) => `${c.files.length} ${c.source.title} files`)
        .join(', ') || 'no input files'
    }`,
  );

  const mapDir = map.file ? dirname(resolve(map.file)) : rootDir;
  const fromMap = (p: string | undefined) => (p ? resolve(mapDir, p) : undefined);
  // the salt sits beside the log (`.evident/salt` next to `.evident/ledger`), else in the repository's `.evident`
  const saltDir = opts.ledgerDir ? dirname(resolve(opts.ledgerDir)) : repository.evidenceDir;
  const loaded = await loadSources(claims, {
    root: rootDir,
    options: {
      varFiles: opts.varFiles,
      vars: opts.vars,
      workspace: opts.workspace,
      limits,
      secrets: {
        enabled: map.secrets?.enabled ?? true,
        history: opts.secretsHistory ?? map.secrets?.history ?? false,
        rules: opts.secretRules ? resolve(opts.secretRules) : fromMap(map.secrets?.rules),
        maxFileBytes: map.secrets?.maxFileBytes,
        saltDir,
      },
      dependencies: {
        enabled: map.dependencies?.enabled ?? true,
        osv: opts.osv ? resolve(opts.osv) : fromMap(map.dependencies?.osv),
      },
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

  const clocked = new Set(checks.filter((c) => c.clocked).map((c) => c.id));
  const needsClock = clocked.size > 0 && hasClockedFacts(facts);
  const history =
    needsClock && opts.ledgerDir
      ? clockHistoryOf(await readSightings(resolve(opts.ledgerDir), now, clocked), started)
      : undefined;
  const {
    findings,
    unusedWaivers: unused,
    diagnostics: modelDiagnostics,
  } = evaluateFacts(checks, facts, map.waivers, now, {
    history,
    sla: map.sla ?? DEFAULT_SLA,
  });
  diagnostics.push(...modelDiagnostics);
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
    manualEvidence: opts.ledgerDir ? await manualEvidenceResolver(map, opts.ledgerDir, now) : undefined,
  });

  const failOn = opts.failOn ?? 'info';
  const mapDigest = inputs.find((i) => i.kind === 'control-map');
  const result: ScanResult = {
    schemaVersion: '1',
    tool: { name: 'evident', version: VERSION },
    startedAt: started.toISOString(),
    finishedAt: (opts.runAt ?? new Date()).toISOString(),
    ...(opts.now ? { evaluatedAt: now.toISOString() } : {}),
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
  return { result, checks, map, redactions: redactionsOf(facts), facts };
}

/**
 * The control map of a partial run (`evident secrets`, `evident sbom`): only the controls that
 * reference a check of the run, with only those checks, and only waivers of those checks.
 */
function partialMap(map: ControlMap, ran: ReadonlySet<string>): ControlMap {
  return {
    ...map,
    controls: map.controls
      .map((c) => ({ ...c, checks: c.checks.filter((id) => ran.has(id)) }))
      .filter((c) => c.checks.length > 0),
    waivers: map.waivers.filter((w) => ran.has(w.check)),
  };
}

/** True when some fact can carry a clock (a secret found, a vulnerable package): only then is the log read. */
function hasClockedFacts(facts: Facts): boolean {
  return (
    facts.secrets.some((f) => f.kind === 'secret') ||
    (facts.dependencies ?? []).some((f) => f.kind === 'vulnerability')
  );
}

/** Working-tree secret spans per file (see ScanRun.redactions). */
function redactionsOf(facts: Facts): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  for (const f of facts.secrets) {
    if (f.kind !== 'secret' || !f.span) continue;
    const list = out.get(f.location.file) ?? [];
    list.push(f.span);
    out.set(f.location.file, list);
  }
  return out;
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
