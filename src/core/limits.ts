import { EvidentError } from './errors.js';

/**
 * Resource limits of one scan. Each bounds work or memory that hostile or runaway input could make
 * unbounded; hitting one is an input error (exit 2) with a message naming the limit and how to raise
 * it (`--limit NAME=VALUE`). docs/limits.md lists them with the reasoning behind each default.
 */
export interface ScanLimits {
  /** Files the directory walk lists per scan (every file name, before the sources pick theirs). */
  files: number;
  /** Total bytes of the files the sources read per scan (by their size on disk). */
  bytes: number;
  /** Directory levels below the scan root the walk descends. */
  'dir-depth': number;
  /** Nesting depth of YAML collections, plan JSON arrays and objects, HCL blocks and expressions. */
  'nesting-depth': number;
  /** Bytes of one Terraform file (`.tf`, `.tfvars`, `.tfvars.json`). */
  'tf-file-bytes': number;
  /** Characters (UTF-16 code units) of one line of a Terraform file (the HCL parser's memory grows with the longest token). */
  'tf-line-chars': number;
  /** Bytes of one YAML file. */
  'yaml-file-bytes': number;
  /** Bytes of one Terraform plan JSON file. */
  'plan-file-bytes': number;
  /** YAML nodes per scan, over every YAML file (src/sources/yaml-bounded.ts says what a node is). */
  'yaml-nodes': number;
  /** Expanded size of one YAML file, aliases counted as copies of their anchors, in bytes. */
  'yaml-expanded-bytes': number;
}

/** A limit's name, as written on the command line. */
export type LimitName = keyof ScanLimits;

const MiB = 1024 * 1024;

/** Default value and a short description per limit (the description is used in messages and docs). */
export const LIMITS: Readonly<
  Record<LimitName, { default: number; unit: 'count' | 'bytes' | 'levels'; what: string }>
> = {
  files: { default: 500_000, unit: 'count', what: 'files the directory walk lists per scan' },
  bytes: { default: 512 * MiB, unit: 'bytes', what: 'total bytes of the files the sources read per scan' },
  'dir-depth': { default: 64, unit: 'levels', what: 'directory levels below the scan root' },
  'nesting-depth': {
    default: 256,
    unit: 'levels',
    what: 'nesting depth of YAML, plan JSON and HCL structures',
  },
  'tf-file-bytes': { default: 5 * MiB, unit: 'bytes', what: 'bytes of one Terraform file' },
  'tf-line-chars': { default: 1 * MiB, unit: 'count', what: 'characters of one line of a Terraform file' },
  'yaml-file-bytes': { default: 20 * MiB, unit: 'bytes', what: 'bytes of one YAML file' },
  'plan-file-bytes': { default: 200 * MiB, unit: 'bytes', what: 'bytes of one plan JSON file' },
  'yaml-nodes': { default: 1_000_000, unit: 'count', what: 'YAML nodes per scan' },
  'yaml-expanded-bytes': {
    default: 64 * MiB,
    unit: 'bytes',
    what: 'expanded size of one YAML file (aliases replaced by their anchors)',
  },
};

/** Every limit at its default. */
export const DEFAULT_LIMITS: Readonly<ScanLimits> = Object.fromEntries(
  Object.entries(LIMITS).map(([k, v]) => [k, v.default]),
) as unknown as ScanLimits;

/** `raise it with --limit NAME=VALUE (default D; see docs/limits.md)`, for messages. */
export function limitHint(name: LimitName, current?: number): string {
  const now = current ?? LIMITS[name].default;
  return `the limit is --limit ${name}=${now}; raise it with --limit ${name}=N if the input is genuine (see docs/limits.md)`;
}

const SUFFIX: Record<string, number> = {
  '': 1,
  k: 1e3,
  m: 1e6,
  g: 1e9,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/**
 * Parses one `--limit NAME=VALUE` argument. VALUE is a positive whole number with an optional
 * suffix: `k`/`M`/`G` (or `kB`/`MB`/`GB`, powers of 1000) or `KiB`/`MiB`/`GiB` (powers of 1024),
 * case-insensitive.
 *
 * @throws EvidentError `E_USAGE` for an unknown name or a value that is not a positive whole number.
 */
export function parseLimitArg(arg: string): [LimitName, number] {
  const eq = arg.indexOf('=');
  const name = (eq < 0 ? arg : arg.slice(0, eq)).trim();
  if (!(name in LIMITS)) {
    throw new EvidentError('E_USAGE', `--limit: unknown limit '${name}'`, {
      hint: `use one of ${Object.keys(LIMITS).join(', ')} (see docs/limits.md)`,
    });
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(eq < 0 ? '' : arg.slice(eq + 1));
  const mult = m ? SUFFIX[(m[2] ?? '').toLowerCase()] : undefined;
  const value = m && mult !== undefined ? Number(m[1]) * mult : Number.NaN;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new EvidentError(
      'E_USAGE',
      `--limit ${arg}: expected ${name}=N with N a positive whole number (e.g. 2000000, 64MiB)`,
      {
        hint: 'see docs/limits.md',
      },
    );
  }
  return [name as LimitName, value];
}

/** The limits of a scan: the defaults with `overrides` applied. */
export function resolveLimits(overrides: Partial<ScanLimits> = {}): ScanLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}
