// evident.yaml `secrets:`, `dependencies:` and `sla:` (docs/evident-yaml.md): the settings of the secrets and
// dependencies sources and the remediation deadlines of clocked checks.

import { z } from 'zod';
import { DEFAULT_SLA, type SlaPolicy } from '../core/check.js';
import type { DependencySettings, SecretsSettings } from './types.js';

/** Allowed keys of each settings mapping, for unknown-key errors with suggestions. */
export const SCAN_SETTINGS_KEYS: Record<string, string[]> = {
  secrets: ['enabled', 'history', 'rules', 'maxFileBytes'],
  dependencies: ['enabled', 'osv'],
  sla: ['critical', 'high', 'medium', 'low', 'unrated', 'secrets'],
};

const DURATION = /^(\d+(?:\.\d+)?)\s*(h|d|w)$/;

/** Hours in a duration written `48h`, `7d`, `2w` or a bare number of hours; undefined when malformed. */
export function parseDurationHours(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v > 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = DURATION.exec(v.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * (m[2] === 'd' ? 24 : m[2] === 'w' ? 168 : 1);
  return n > 0 ? n : undefined;
}

/**
 * The zod schemas of the three mappings; `nonEmpty(what)` is the map's non-empty string schema (its
 * message names `what`).
 */
export function scanSettingsSchemas(nonEmpty: (what: string) => z.ZodType<string>) {
  const duration = z.union([z.string(), z.number()]).refine((v) => parseDurationHours(v) !== undefined, {
    message: 'a deadline is a positive duration written like 48h, 7d or 2w (or a number of hours)',
  });
  return {
    secrets: z.strictObject({
      enabled: z.boolean().optional(),
      history: z.boolean().optional(),
      rules: nonEmpty('rules (a gitleaks TOML file)').optional(),
      maxFileBytes: z
        .number()
        .int()
        .positive({ message: 'maxFileBytes must be a positive number of bytes' })
        .optional(),
    }),
    dependencies: z.strictObject({
      enabled: z.boolean().optional(),
      osv: nonEmpty('osv (an OSV database directory or all.zip)').optional(),
    }),
    sla: z.strictObject({
      critical: duration.optional(),
      high: duration.optional(),
      medium: duration.optional(),
      low: duration.optional(),
      unrated: duration.optional(),
      secrets: duration.optional(),
    }),
  };
}

type Parsed = z.infer<ReturnType<typeof scanSettingsSchemas>['secrets']>;
type ParsedDeps = z.infer<ReturnType<typeof scanSettingsSchemas>['dependencies']>;
type ParsedSla = z.infer<ReturnType<typeof scanSettingsSchemas>['sla']>;

/**
 * The ControlMap fields of validated settings: each present mapping with its defaults filled in
 * (secrets on, history off; lockfiles read; each deadline DEFAULT_SLA's unless given). Absent mappings stay absent.
 */
export function toScanSettings(v: { secrets?: Parsed; dependencies?: ParsedDeps; sla?: ParsedSla }): {
  secrets?: SecretsSettings;
  dependencies?: DependencySettings;
  sla?: SlaPolicy;
} {
  const hours = (x: unknown, d: number) => (x === undefined ? d : parseDurationHours(x)!);
  return {
    ...(v.secrets
      ? {
          secrets: {
            enabled: v.secrets.enabled ?? true,
            history: v.secrets.history ?? false,
            ...(v.secrets.rules ? { rules: v.secrets.rules } : {}),
            ...(v.secrets.maxFileBytes ? { maxFileBytes: v.secrets.maxFileBytes } : {}),
          },
        }
      : {}),
    ...(v.dependencies
      ? {
          dependencies: {
            enabled: v.dependencies.enabled ?? true,
            ...(v.dependencies.osv ? { osv: v.dependencies.osv } : {}),
          },
        }
      : {}),
    ...(v.sla
      ? {
          sla: {
            critical: hours(v.sla.critical, DEFAULT_SLA.critical),
            high: hours(v.sla.high, DEFAULT_SLA.high),
            medium: hours(v.sla.medium, DEFAULT_SLA.medium),
            low: hours(v.sla.low, DEFAULT_SLA.low),
            unrated: hours(v.sla.unrated, DEFAULT_SLA.unrated),
            secrets: hours(v.sla.secrets, DEFAULT_SLA.secrets),
          },
        }
      : {}),
  };
}
