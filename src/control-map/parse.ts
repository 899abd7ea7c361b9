import { createHash } from 'node:crypto';
import { LineCounter } from 'yaml';
import { z } from 'zod';
import type { CheckDefinition } from '../core/check.js';
import { EvidentError } from '../core/errors.js';
import { FRAMEWORK_IDS, type FrameworkId, type FrameworkMappings } from '../core/framework-id.js';
import { DEFAULT_LIMITS, type LimitName, limitHint, type ScanLimits } from '../core/limits.js';
import { decodeStrictText, describeTextProblem } from '../core/strict-text.js';
import { type Catalog, loadCatalog } from '../frameworks/catalog.js';
import { readRegularFileSync } from '../sources/read-regular-file.js';
import { parseYamlBounded, type YamlBoundHit } from '../sources/yaml-bounded.js';
import {
  ADMISSION_KEYS,
  admissionSchemas,
  NAMESPACE_ADMISSION_KEYS,
  PROVENANCE_KEYS,
  toAdmissionPolicy,
  toProvenancePolicy,
} from './admission-config.js';
import { fromZodIssue, locate, locationOf, positionOf, type RawIssue } from './map-issues.js';
import { SCAN_SETTINGS_KEYS, scanSettingsSchemas, toScanSettings } from './scan-settings.js';
import { didYouMean } from './suggest.js';
import {
  type ControlMap,
  DEFAULT_MAX_AGE_DAYS,
  type MapControl,
  type NotApplicableEntry,
  type Waiver,
} from './types.js';

/** The scan limit to name when a YAML bound is hit in the control map (none for an alias cycle). */
const CONTROL_MAP_BOUND_LIMIT: Record<YamlBoundHit['bound'], LimitName | undefined> = {
  nodes: 'yaml-nodes',
  depth: 'nesting-depth',
  expanded: 'yaml-expanded-bytes',
  'alias-cycle': undefined,
};

/** What validating a control map needs besides the file: the check list and (optionally) the catalogs. */
export interface ControlMapContext {
  /** YAML limits (`yaml-nodes`, `nesting-depth`, `yaml-expanded-bytes`); default {@link DEFAULT_LIMITS}. */
  limits?: Partial<ScanLimits>;
  /** Every check the scan can run (built-in registry); aliases are accepted in the map. */
  checks: readonly CheckDefinition[];
  /** Framework catalogs; default: the built-in catalogs. */
  catalogs?: readonly Catalog[];
}

/** One problem found in evident.yaml. `path` is the data path (`['controls', 2, 'checks', 0]`). */
export interface ControlMapIssue {
  path: (string | number)[];
  /** What is wrong and what to change, without the location prefix. */
  message: string;
  /** 1-based position of the offending node (or of its closest existing parent). */
  line?: number;
  column?: number;
}

/**
 * The E_CONFIG error thrown for an invalid control map. It carries every issue found, not only the
 * first: `message` is the first issue (located by `file`/`line`/`column`), followed by one line per
 * further issue in `file:line:column: path: message` form.
 */
export class ControlMapError extends EvidentError {
  readonly issues: ControlMapIssue[];

  constructor(file: string, issues: ControlMapIssue[]) {
    const [first, ...rest] = issues;
    const loc = (i: ControlMapIssue) =>
      `${file}${i.line ? `:${i.line}${i.column ? `:${i.column}` : ''}` : ''}`;
    const lines = rest.map((i) => `  ${loc(i)}: ${formatIssue(i)}`);
    const message =
      (first ? formatIssue(first) : 'invalid control map') +
      (rest.length
        ? `\n${rest.length} more problem${rest.length === 1 ? '' : 's'} in ${file}:\n${lines.join('\n')}`
        : '');
    super('E_CONFIG', message, {
      file,
      line: first?.line,
      column: first?.column,
      hint: 'fix evident.yaml and run again; nothing was scanned. Reference: docs/evident-yaml.md (`evident init DIR` into an empty directory writes a commented example to compare)',
    });
    this.issues = issues;
  }
}

/** `controls[2].checks[0]: message`, or just the message for the document root. */
export function formatIssue(issue: Pick<ControlMapIssue, 'path' | 'message'>): string {
  const p = formatPath(issue.path);
  return p ? `${p}: ${issue.message}` : issue.message;
}

/** `controls[2].checks[0]` from `['controls', 2, 'checks', 0]`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out;
}

const MAX_BYTES = 2 * 1024 * 1024;

const ROOT_KEYS = [
  'version',
  'frameworks',
  'policies',
  'controls',
  'notApplicable',
  'waivers',
  'admission',
  'provenance',
  'secrets',
  'dependencies',
  'sla',
];
const CONTROL_KEYS = ['id', 'title', 'description', 'owner', 'satisfies', 'checks', 'evidence'];
const EVIDENCE_KEYS = ['manual', 'maxAgeDays'];
const NA_KEYS = ['framework', 'requirement', 'reason'];
const WAIVER_KEYS = ['check', 'resource', 'scope', 'reason', 'owner', 'expires'];
const KEYS_BY_SHAPE: Record<string, string[]> = {
  '': ROOT_KEYS,
  controls: CONTROL_KEYS,
  'controls.evidence': EVIDENCE_KEYS,
  notApplicable: NA_KEYS,
  waivers: WAIVER_KEYS,
  admission: ADMISSION_KEYS,
  'admission.namespaces.*': NAMESPACE_ADMISSION_KEYS,
  provenance: PROVENANCE_KEYS,
  ...SCAN_SETTINGS_KEYS,
};

const EMAILISH = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CONTROL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

interface Known {
  checkIds: Map<string, string>;
  canonicalIds: string[];
  catalogs: Map<FrameworkId, Catalog>;
}

function buildSchema(k: Known) {
  const nonEmpty = (what: string) =>
    z
      .string()
      .trim()
      .min(1, { message: `${what} must not be empty` });
  const frameworkId = z.string().superRefine((v, c) => {
    if (!(FRAMEWORK_IDS as readonly string[]).includes(v)) {
      c.addIssue({
        code: 'custom',
        message: `unknown framework '${v}'; use one of ${FRAMEWORK_IDS.join(', ')}.${didYouMean(v, FRAMEWORK_IDS)}`,
      });
    }
  });
  const checkRef = z.string().superRefine((v, c) => {
    if (!k.checkIds.has(v)) {
      c.addIssue({
        code: 'custom',
        message: `unknown check '${v}'.${didYouMean(v, k.canonicalIds) || ' Run `evident checks` for the list of check IDs.'}`,
      });
    }
  });
  const requirementIn = (fw: string, id: string): string | undefined => {
    const cat = k.catalogs.get(fw as FrameworkId);
    if (!cat || cat.byId.has(id)) return undefined;
    return `unknown ${fw} requirement '${id}'.${didYouMean(id, cat.byId.keys()) || ` Run \`evident frameworks ${fw}\` for the list.`}`;
  };
  const satisfies = z.record(z.string(), z.array(z.string())).superRefine((rec, c) => {
    for (const [fw, ids] of Object.entries(rec)) {
      if (!(FRAMEWORK_IDS as readonly string[]).includes(fw)) {
        c.addIssue({
          code: 'custom',
          path: [fw],
          params: { atKey: true },
          message: `unknown framework '${fw}'; use one of ${FRAMEWORK_IDS.join(', ')}.${didYouMean(fw, FRAMEWORK_IDS)}`,
        });
        continue;
      }
      ids.forEach((id, i) => {
        const msg = requirementIn(fw, id);
        if (msg) c.addIssue({ code: 'custom', path: [fw, i], message: msg });
      });
    }
  });
  const { admission, provenance } = admissionSchemas(checkRef);
  const { secrets, dependencies, sla } = scanSettingsSchemas(nonEmpty);
  return z.strictObject({
    version: z.literal(1).optional(),
    admission: admission.optional(),
    provenance: provenance.optional(),
    secrets: secrets.optional(),
    dependencies: dependencies.optional(),
    sla: sla.optional(),
    policies: z
      .array(nonEmpty('a policies directory'), {
        message: 'policies is a list of directories of team rule files, e.g. [policy/]',
      })
      .optional(),
    frameworks: z
      .array(frameworkId)
      .min(1, { message: `list at least one framework (${FRAMEWORK_IDS.join(', ')})` }),
    controls: z.array(
      z.strictObject({
        id: z.string().regex(CONTROL_ID, {
          message:
            'control id must start with a letter or digit and use only letters, digits, ".", "_", "-" (e.g. CHG-1)',
        }),
        title: nonEmpty('title'),
        description: z.string().optional(),
        owner: nonEmpty('owner').optional(),
        satisfies: satisfies.optional(),
        checks: z.array(checkRef).optional(),
        evidence: z
          .strictObject({
            manual: nonEmpty('evidence.manual (a path to the document)'),
            maxAgeDays: z
              .number()
              .int({ message: 'maxAgeDays must be a whole number of days' })
              .positive({ message: 'maxAgeDays must be at least 1' })
              .optional(),
          })
          .optional(),
      }),
    ),
    notApplicable: z
      .array(
        z
          .strictObject({
            framework: frameworkId,
            requirement: z.string(),
            reason: nonEmpty('reason (why the requirement is out of scope)'),
          })
          .superRefine((na, c) => {
            const msg = requirementIn(na.framework, na.requirement);
            if (msg) c.addIssue({ code: 'custom', path: ['requirement'], message: msg });
          }),
      )
      .optional(),
    waivers: z
      .array(
        z.strictObject({
          check: checkRef,
          resource: nonEmpty('resource (the subject address, e.g. aws_s3_bucket.assets)').refine(
            (r) => !r.slice(0, -1).includes('*'),
            { message: "only a trailing '*' is supported in resource (e.g. aws_s3_bucket.public_*)" },
          ),
          scope: nonEmpty('scope').optional(),
          reason: nonEmpty('reason'),
          owner: z
            .string()
            .regex(EMAILISH, { message: 'owner must be an email address (e.g. alice@example.com)' }),
          // A `%YAML 1.1` document turns 2027-03-31 into a timestamp: accept it as the date it spells.
          expires: z
            .preprocess((d) => (d instanceof Date ? d.toISOString().slice(0, 10) : d), z.string())
            .refine(isIsoDate, {
              message: 'expires must be a real date written YYYY-MM-DD (e.g. 2027-03-31)',
            }),
        }),
      )
      .optional(),
  });
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Checks that need more than one field: duplicates, scope, emptiness, contradictions. */
function crossFieldIssues(data: unknown): RawIssue[] {
  const issues: RawIssue[] = [];
  if (!isRecord(data)) return issues;
  const frameworks = asArray(data.frameworks).filter((f): f is string => typeof f === 'string');
  const inScope = new Set(frameworks);
  const seenFw = new Set<string>();
  frameworks.forEach((fw, i) => {
    if (seenFw.has(fw))
      issues.push({ path: ['frameworks', i], message: `framework '${fw}' is listed twice; remove one` });
    seenFw.add(fw);
  });
  const outOfScope = (fw: string) =>
    `framework '${fw}' is not listed in 'frameworks' (${frameworks.join(', ') || 'empty'}); add it there or remove this mapping`;
  const controlIds = new Map<string, number>();
  const satisfiedBy = new Map<string, string>();
  asArray(data.controls).forEach((c, i) => {
    if (!isRecord(c)) return;
    if (typeof c.id === 'string') {
      const prev = controlIds.get(c.id);
      if (prev !== undefined) {
        issues.push({
          path: ['controls', i, 'id'],
          message: `duplicate control id '${c.id}' (also controls[${prev}]); control IDs must be unique`,
        });
      } else controlIds.set(c.id, i);
    }
    const noChecks =
      c.checks === undefined || c.checks === null || (Array.isArray(c.checks) && c.checks.length === 0);
    if (noChecks && c.evidence === undefined) {
      issues.push({
        path: ['controls', i],
        message: `control '${String(c.id)}' has neither checks nor evidence, so nothing could show it works; add checks: [...] or evidence: { manual: PATH }`,
      });
    }
    if (isRecord(c.satisfies)) {
      for (const [fw, ids] of Object.entries(c.satisfies)) {
        if ((FRAMEWORK_IDS as readonly string[]).includes(fw) && !inScope.has(fw)) {
          issues.push({ path: ['controls', i, 'satisfies', fw], atKey: true, message: outOfScope(fw) });
        }
        for (const id of asArray(ids))
          if (typeof id === 'string') satisfiedBy.set(`${fw}\0${id}`, String(c.id));
      }
    }
  });
  asArray(data.notApplicable).forEach((na, i) => {
    if (!isRecord(na) || typeof na.framework !== 'string') return;
    if ((FRAMEWORK_IDS as readonly string[]).includes(na.framework) && !inScope.has(na.framework)) {
      issues.push({ path: ['notApplicable', i, 'framework'], message: outOfScope(na.framework) });
    }
    const by = satisfiedBy.get(`${na.framework}\0${String(na.requirement)}`);
    if (by !== undefined) {
      issues.push({
        path: ['notApplicable', i, 'requirement'],
        message: `${na.framework} ${String(na.requirement)} is declared not applicable but control '${by}' satisfies it; remove one of the two`,
      });
    }
  });
  return issues;
}

/**
 * Parses and validates an evident.yaml text (format: DESIGN.md "The control map"; keys `version`
 * (optional, 1), `frameworks`, `policies` (optional: directories of team rule files, loaded by
 * src/policy/team.ts before the map is parsed, so their ids are among `ctx.checks`), `controls[]` {id, title, description?, owner?, satisfies?, checks?,
 * evidence? {manual, maxAgeDays?}}, `notApplicable[]` {framework, requirement, reason}, `waivers[]`
 * {check, resource, scope?, reason, owner, expires}, `admission` and `provenance` (admission-config.ts,
 * docs/admission.md)). `fileName` is used in messages and locations.
 * Throws {@link ControlMapError} (an EvidentError with code `E_CONFIG`) listing every problem:
 * YAML syntax errors, unknown or misspelt keys, wrong types, unknown frameworks / requirement IDs /
 * check IDs (with the closest suggestions), duplicate control IDs, controls with neither checks nor
 * evidence, mappings to frameworks not in `frameworks`, waivers without reason/owner/expires or with
 * a malformed date or owner, and requirements both satisfied and declared not applicable.
 */
export function parseControlMap(text: string, fileName: string, ctx: ControlMapContext): ControlMap {
  const lc = new LineCounter();
  const limits = { ...DEFAULT_LIMITS, ...ctx.limits };
  const yaml = parseYamlBounded(
    text,
    { lineCounter: lc, prettyErrors: false, uniqueKeys: true },
    {
      maxNodes: limits['yaml-nodes'],
      maxDepth: limits['nesting-depth'],
      maxExpandedBytes: limits['yaml-expanded-bytes'],
    },
  );
  if ('hit' in yaml) {
    const { line, column: col } = yaml.hit;
    const limit = CONTROL_MAP_BOUND_LIMIT[yaml.hit.bound];
    throw new ControlMapError(fileName, [
      {
        path: [],
        message: `${yaml.hit.what}; the control map was not read${limit ? ` (${limitHint(limit, limits[limit])})` : ''}`,
        line,
        column: col,
      },
    ]);
  }
  const [doc, second] = yaml.docs;
  if (!doc) {
    throw new ControlMapError(fileName, [
      {
        path: [],
        message: 'the file is empty; it needs at least `frameworks:` and `controls:`',
        line: 1,
        column: 1,
      },
    ]);
  }
  if (second) {
    const { line, col } = lc.linePos(second.range[0]);
    throw new ControlMapError(fileName, [
      {
        path: [],
        message:
          'the file holds more than one YAML document (a `---` separator); a control map is one document',
        line,
        column: col,
      },
    ]);
  }
  if (doc.errors.length) {
    throw new ControlMapError(
      fileName,
      doc.errors.map((e) => {
        const { line, col } = lc.linePos(e.pos[0]);
        return { path: [], message: `YAML syntax error: ${e.message.split('\n')[0]}`, line, column: col };
      }),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    throw new ControlMapError(fileName, [
      { path: [], message: `cannot read YAML: ${(e as Error).message}`, line: 1 },
    ]);
  }
  if (data === null || data === undefined) {
    throw new ControlMapError(fileName, [
      {
        path: [],
        message: 'the file is empty; it needs at least `frameworks:` and `controls:`',
        line: 1,
        column: 1,
      },
    ]);
  }

  const checkIds = new Map<string, string>();
  for (const c of ctx.checks) {
    checkIds.set(c.id, c.id);
    for (const a of c.aliases ?? []) checkIds.set(a, c.id);
  }
  const catalogs = new Map<FrameworkId, Catalog>(
    (ctx.catalogs ?? FRAMEWORK_IDS.map((id) => loadCatalog(id))).map((c) => [c.id, c]),
  );
  const known: Known = { checkIds, canonicalIds: ctx.checks.map((c) => c.id), catalogs };

  const parsed = buildSchema(known).safeParse(data, { reportInput: true });
  const raw: RawIssue[] = [
    ...(parsed.success ? [] : parsed.error.issues.flatMap((issue) => fromZodIssue(issue, KEYS_BY_SHAPE))),
    ...crossFieldIssues(data),
  ];
  if (raw.length || !parsed.success) {
    const issues = raw.map((r) => ({
      path: r.path,
      message: r.message,
      ...positionOf(locate(doc, r.path, !!r.atKey), lc),
    }));
    issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    throw new ControlMapError(fileName, issues);
  }

  const v = parsed.data;
  const controls: MapControl[] = v.controls.map((c, i) => {
    const control: MapControl = {
      id: c.id,
      title: c.title,
      satisfies: (c.satisfies ?? {}) as FrameworkMappings,
      checks: [...new Set((c.checks ?? []).map((id) => checkIds.get(id)!))],
      location: locationOf(doc, ['controls', i], lc, fileName),
    };
    if (c.description !== undefined) control.description = c.description;
    if (c.owner !== undefined) control.owner = c.owner;
    if (c.evidence)
      control.evidence = {
        manual: c.evidence.manual,
        maxAgeDays: c.evidence.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS,
      };
    return control;
  });
  const notApplicable: NotApplicableEntry[] = (v.notApplicable ?? []).map((na, i) => ({
    framework: na.framework as FrameworkId,
    requirement: na.requirement,
    reason: na.reason,
    location: locationOf(doc, ['notApplicable', i], lc, fileName),
  }));
  const waivers: Waiver[] = (v.waivers ?? []).map((w, i) => {
    const waiver: Waiver = {
      check: checkIds.get(w.check)!,
      resource: w.resource,
      reason: w.reason,
      owner: w.owner,
      expires: w.expires,
      location: locationOf(doc, ['waivers', i], lc, fileName),
    };
    if (w.scope !== undefined) waiver.scope = w.scope;
    return waiver;
  });
  return {
    version: 1,
    file: fileName,
    builtIn: false,
    ...(v.policies ? { policies: v.policies } : {}),
    ...(v.admission ? { admission: toAdmissionPolicy(v.admission, (id) => checkIds.get(id) ?? id) } : {}),
    ...(v.provenance ? { provenance: toProvenancePolicy(v.provenance) } : {}),
    frameworks: v.frameworks as FrameworkId[],
    controls,
    notApplicable,
    waivers,
    ...toScanSettings(v),
  };
}

/**
 * Reads and validates the control map at `file` (sync). Throws EvidentError `E_CONFIG` when the file
 * is missing, not a regular file, binary, over 2 MiB, or invalid (see {@link parseControlMap});
 * `E_IO` when it exists but cannot be read.
 */
export function loadControlMap(file: string, ctx: ControlMapContext): ControlMap {
  const read = readRegularFileSync(file, MAX_BYTES);
  if ('refused' in read) {
    const r = read.refused;
    if (r.kind === 'too-large') {
      throw new EvidentError(
        'E_CONFIG',
        `control map ${file} is ${r.bytes} bytes, over the 2 MiB limit; nothing was scanned`,
        { file, hint: 'is --config pointing at the right file? A control map is a small YAML file' },
      );
    }
    if (r.kind === 'not-regular')
      throw new EvidentError(
        'E_CONFIG',
        `control map ${file} is not a file (it is ${r.what}); nothing was scanned`,
        {
          file,
        },
      );
    if (r.code === 'ENOENT') {
      throw new EvidentError('E_CONFIG', `control map ${file} does not exist; nothing was scanned`, {
        file,
        hint: 'check the --config path, or run `evident init` to write a starter evident.yaml',
      });
    }
    throw new EvidentError('E_IO', `cannot read control map ${file}: ${r.code}`, { file });
  }
  const { buf } = read;
  const decoded = decodeStrictText(buf, 'yaml');
  if ('problem' in decoded) {
    const p = decoded.problem;
    throw new EvidentError(
      'E_CONFIG',
      p.nul
        ? `control map ${file} is a binary file, not YAML; nothing was scanned`
        : `control map ${file} is not valid YAML text: ${describeTextProblem(p)}; nothing was scanned`,
      {
        file,
        line: p.line,
        column: p.column,
        hint: p.nul
          ? 'point --config at your evident.yaml'
          : 're-save evident.yaml as UTF-8 without control characters',
      },
    );
  }
  const map = parseControlMap(decoded.text, file, ctx);
  return { ...map, digest: { sha256: createHash('sha256').update(buf).digest('hex'), bytes: buf.length } };
}
