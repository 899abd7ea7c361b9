import { join, resolve } from 'node:path';
import { loadChecks } from '../checks/registry.js';
import { type ControlMap, loadControlMap, starterControlMap } from '../control-map/index.js';
import type { Waiver } from '../control-map/types.js';
import { applyWaivers } from '../control-map/waivers.js';
import type { CheckContext, CheckDefinition } from '../core/check.js';
import type { Diagnostic } from '../core/errors.js';
import type { Facts } from '../core/facts.js';
import type { Finding } from '../core/finding.js';
import type { ScanLimits } from '../core/limits.js';
import { loadTeamRules, policyDirsOf, type TeamRule } from '../policy/team.js';
import { readRegularFileSync } from '../sources/read-regular-file.js';
import { createCheckContext } from './check-context.js';
import { CONTROL_MAP_FILE, locateRepository } from './repository.js';
import { runChecks } from './run-checks.js';

/**
 * Everything that judges: the built-in checks plus the team's rule files, and the control map that maps them
 * to controls and holds the waivers. `evident scan` and `evident admission` both build it with
 * {@link loadRuleSet}, so the cluster judges with exactly the rules CI does.
 */
export interface RuleSet {
  /** Built-in checks and team rules, sorted by id. */
  checks: CheckDefinition[];
  /** The team rules among `checks`, with their files (evidence inputs of a scan). */
  team: TeamRule[];
  map: ControlMap;
  /** Absolute path of evident.yaml (whether or not it exists). */
  configPath: string;
  /** True when the map was read from `configPath`; false for the built-in starter map. */
  hasMap: boolean;
  /** Absolute policies directories the map names (their fixtures are never scanned as infrastructure). */
  policyDirs: string[];
}

/** The text of `file`, or '' when it cannot be read (loadControlMap reports that). */
function readTextOrEmpty(file: string): string {
  // Never blocks on a FIFO, never reads past the control map's size limit: loadControlMap reports those.
  const read = readRegularFileSync(file, 2 * 1024 * 1024);
  return 'buf' in read ? read.buf.toString('utf8') : '';
}

/**
 * Loads the rule set: built-in checks, then the team policies evident.yaml names (`policies:`, docs/policies.md:
 * first, because the map may reference their ids), then the control map (`config`, default
 * the repository's map ({@link locateRepository}: the nearest evident.yaml from `rootDir` up to its git
 * work-tree root), else the built-in starter map). `displayRoot` names rule files in
 * messages. Throws EvidentError(E_CONFIG) for an invalid map or rule file.
 */
export async function loadRuleSet(opts: {
  rootDir: string;
  config?: string;
  displayRoot?: string;
  /** Resource limits of the scan (the map's YAML bounds); default DEFAULT_LIMITS. */
  limits?: ScanLimits;
}): Promise<RuleSet> {
  const builtIns = await loadChecks();
  const found = opts.config ? resolve(opts.config) : locateRepository(opts.rootDir).mapFile;
  const configPath = found ?? join(opts.rootDir, CONTROL_MAP_FILE);
  const hasMap = found !== undefined;
  const policies = hasMap
    ? policyDirsOf(configPath, readTextOrEmpty(configPath))
    : { dirs: [], explicit: false };
  const team = await loadTeamRules(policies.dirs, {
    builtIns,
    displayRoot: opts.displayRoot ?? process.cwd(),
    required: policies.explicit,
  });
  const checks = [...builtIns, ...team.map((t) => t.check)].sort((a, b) => a.id.localeCompare(b.id));
  const map = hasMap
    ? loadControlMap(configPath, { checks, ...(opts.limits ? { limits: opts.limits } : {}) })
    : starterControlMap(checks);
  return { checks, team, map, configPath, hasMap, policyDirs: policies.dirs };
}

/** Findings of {@link evaluateFacts}, and the waivers that matched none of them. */
export interface Evaluation {
  findings: Finding[];
  unusedWaivers: Waiver[];
  /** What the model's adapters reported while building concerns (ambiguous links, ...). */
  diagnostics: readonly Diagnostic[];
}

/**
 * Runs `checks` over `facts` as of `now` and applies the map's waivers: the one evaluation path of the scan and
 * the admission webhook (a check that throws becomes an `error` finding, see run-checks.ts). `clocks` carries
 * the earlier runs' sightings and the remediation budgets of clocked checks (secrets, vulnerabilities); absent,
 * their clocks are `unknown`.
 */
export function evaluateFacts(
  checks: readonly CheckDefinition[],
  facts: Facts,
  waivers: readonly Waiver[],
  now: Date,
  clocks: Pick<CheckContext, 'history' | 'sla'> = {},
): Evaluation {
  const ctx: CheckContext = createCheckContext(facts, now);
  if (clocks.history) ctx.history = clocks.history;
  if (clocks.sla) ctx.sla = clocks.sla;
  const raw = runChecks(checks, facts, ctx);
  const { findings, unused } = applyWaivers(raw, waivers, now);
  return { findings, unusedWaivers: unused, diagnostics: ctx.model.diagnostics };
}
