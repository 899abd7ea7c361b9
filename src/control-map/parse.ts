import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { z } from 'zod';
import type { CheckDefinition } from '../core/check.js';
import { EvidentError } from '../core/errors.js';
import { FRAMEWORK_IDS, type FrameworkId, type FrameworkMappings } from '../core/framework-id.js';
import type { SourceLocation } from '../core/location.js';
import { type Catalog, loadCatalog } from '../frameworks/catalog.js';
import { didYouMean } from './suggest.js';
import {
  type ControlMap,
  DEFAULT_MAX_AGE_DAYS,
  type MapControl,
  type NotApplicableEntry,
  type Waiver,
} from './types.js';

/** What validating a control map needs besides the file: the check list and (optionally) the catalogs. */
export interface ControlMapContext {
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
      hint: 'fix evident.yaml and run again; nothing was scanned. `evident init --force` writes a commented example',
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

const ROOT_KEYS = ['version', 'frameworks', 'policies', 'controls', 'notApplicable', 'waivers'];
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
  return z.strictObject({
    version: z.literal(1).optional(),
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

type RawIssue = { path: (string | number)[]; message: string; atKey?: boolean };

/** Turns a zod issue into one or more located-ready raw issues with our own wording. */
function fromZodIssue(issue: z.core.$ZodIssue): RawIssue[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const shape = path.filter((p) => typeof p === 'string').join('.');
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = KEYS_BY_SHAPE[shape] ?? [];
      return issue.keys.map((key) => ({
        path: [...path, key],
        atKey: true,
        message: `unknown key '${key}'.${didYouMean(key, allowed) || ` Allowed keys here: ${allowed.join(', ')}.`}`,
      }));
    }
    case 'invalid_type': {
      const input = (issue as { input?: unknown }).input;
      if (input === undefined) {
        return [{ path, message: `missing required key '${String(path.at(-1))}'` }];
      }
      const expected =
        issue.expected === 'array'
          ? 'a list'
          : issue.expected === 'object'
            ? 'a mapping'
            : `a ${issue.expected}`;
      if (input === null) return [{ path, message: `has no value; expected ${expected}` }];
      return [{ path, message: `expected ${expected}, got ${describeValue(input)}` }];
    }
    case 'invalid_value':
      if (shape === 'version') {
        return [
          {
            path,
            message: `unsupported version ${JSON.stringify((issue as { input?: unknown }).input)}; this Evident reads version 1`,
          },
        ];
      }
      return [{ path, message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` }];
    case 'custom':
      return [
        { path, message: issue.message, atKey: (issue.params as { atKey?: boolean } | undefined)?.atKey },
      ];
    default:
      return [{ path, message: issue.message }];
  }
}

function describeValue(v: unknown): string {
  if (v === null) return 'nothing (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

/** Finds the YAML node for `path` (the key node when `atKey`), or the closest existing parent. */
function locate(doc: Document, path: readonly (string | number)[], atKey: boolean): Node | undefined {
  let node: unknown = doc.contents;
  let found: Node | undefined = (doc.contents as Node | null) ?? undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isAlias(node)) node = node.resolve(doc);
    let next: unknown;
    let keyNode: unknown;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg),
      );
      if (!pair) return found;
      keyNode = pair.key;
      next = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg];
    } else {
      return found;
    }
    const last = i === path.length - 1;
    if (last && atKey && keyNode) return keyNode as Node;
    const hasRange = (n: unknown): n is Node =>
      !!n && typeof n === 'object' && 'range' in n && !!(n as Node).range;
    if (hasRange(next)) found = next;
    else if (hasRange(keyNode)) found = keyNode;
    node = next;
  }
  return found;
}

function positionOf(node: Node | undefined, lc: LineCounter): { line?: number; column?: number } {
  const offset = node?.range?.[0];
  if (offset === undefined) return {};
  const { line, col } = lc.linePos(offset);
  return { line, column: col };
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

function locationOf(doc: Document, path: (string | number)[], lc: LineCounter, file: string): SourceLocation {
  const { line, column } = positionOf(locate(doc, path, false), lc);
  return { file, line: line ?? 1, ...(column ? { column } : {}) };
}

/**
 * Parses and validates an evident.yaml text (format: DESIGN.md "The control map"; keys `version`
 * (optional, 1), `frameworks`, `policies` (optional: directories of team rule files, loaded by
 * src/policy/team.ts before the map is parsed, so their ids are among `ctx.checks`), `controls[]` {id, title, description?, owner?, satisfies?, checks?,
 * evidence? {manual, maxAgeDays?}}, `notApplicable[]` {framework, requirement, reason}, `waivers[]`
 * {check, resource, scope?, reason, owner, expires}). `fileName` is used in messages and locations.
 * Throws {@link ControlMapError} (an EvidentError with code `E_CONFIG`) listing every problem:
 * YAML syntax errors, unknown or misspelt keys, wrong types, unknown frameworks / requirement IDs /
 * check IDs (with the closest suggestions), duplicate control IDs, controls with neither checks nor
 * evidence, mappings to frameworks not in `frameworks`, waivers without reason/owner/expires or with
 * a malformed date or owner, and requirements both satisfied and declared not applicable.
 */
export function parseControlMap(text: string, fileName: string, ctx: ControlMapContext): ControlMap {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    throw new ControlMapError(
      fileName,
      doc.errors.map((e) => {
        const { line, col } = lc.linePos(e.pos[0]);
        const message =
          e.code === 'MULTIPLE_DOCS'
            ? 'the file holds more than one YAML document (a `---` separator); a control map is one document'
            : `YAML syntax error: ${e.message.split('\n')[0]}`;
        return { path: [], message, line, column: col };
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
    ...(parsed.success ? [] : parsed.error.issues.flatMap(fromZodIssue)),
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
    frameworks: v.frameworks as FrameworkId[],
    controls,
    notApplicable,
    waivers,
  };
}

/**
 * Reads and validates the control map at `file` (sync). Throws EvidentError `E_CONFIG` when the file
 * is missing, not a regular file, binary, over 2 MiB, or invalid (see {@link parseControlMap});
 * `E_IO` when it exists but cannot be read.
 */
export function loadControlMap(file: string, ctx: ControlMapContext): ControlMap {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new EvidentError('E_CONFIG', `control map ${file} is not a file`, { file });
    size = st.size;
  } catch (e) {
    if (e instanceof EvidentError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new EvidentError('E_CONFIG', `control map ${file} does not exist; nothing was scanned`, {
        file,
        hint: 'check the --config path, or run `evident init` to write a starter evident.yaml',
      });
    }
    throw new EvidentError('E_IO', `cannot read control map ${file}: ${(e as Error).message}`, {
      file,
      cause: e,
    });
  }
  if (size > MAX_BYTES) {
    throw new EvidentError(
      'E_CONFIG',
      `control map ${file} is ${size} bytes, over the 2 MiB limit; nothing was scanned`,
      {
        file,
        hint: 'is --config pointing at the right file? A control map is a small YAML file',
      },
    );
  }
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    throw new EvidentError('E_IO', `cannot read control map ${file}: ${(e as Error).message}`, {
      file,
      cause: e,
    });
  }
  if (buf.includes(0)) {
    throw new EvidentError(
      'E_CONFIG',
      `control map ${file} is a binary file, not YAML; nothing was scanned`,
      {
        file,
        hint: 'point --config at your evident.yaml',
      },
    );
  }
  const map = parseControlMap(buf.toString('utf8').replace(/^\uFEFF/, ''), file, ctx);
  return { ...map, digest: { sha256: createHash('sha256').update(buf).digest('hex'), bytes: buf.length } };
}
