/**
 * Monitoring configuration (`evident serve --config evident-server.yaml`, `evident worker --config …`): which
 * repositories to re-scan and when, where alerts go, and the alert thresholds. Webhook secrets are named by
 * environment variable, never written in the file.
 *
 * ```yaml
 * repositories:
 *   - { name: payments, path: /srv/checkouts/payments, schedule: "0 3 * * *" }
 * webhooks:
 *   - { name: chat, url: https://hooks.slack.com/services/…, format: slack }
 *   - { name: siem, url: https://siem.example/evident, format: generic, secretEnv: EVIDENT_WEBHOOK_SECRET }
 * alerts:
 *   expiryWarningDays: 14          # waivers / manual evidence expiring within N days
 *   sla: { critical: 7, high: 30, medium: 90, low: 180 }   # days from first seen to fix an open finding
 *   slaWarningDays: 7
 * ```
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { EvidentError } from '../core/errors.js';

const cron = z.string().regex(/^(\S+\s+){4}\S+$/, 'a 5-field cron expression');

/** The configuration schema. */
export const monitorConfigSchema = z
  .object({
    repositories: z
      .array(z.object({ name: z.string().min(1).max(200), path: z.string().min(1), schedule: cron }).strict())
      .default([]),
    webhooks: z
      .array(
        z
          .object({
            name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
            url: z.url({ protocol: /^https?$/ }),
            format: z.enum(['slack', 'generic']),
            secretEnv: z
              .string()
              .regex(/^[A-Z_][A-Z0-9_]*$/)
              .optional(),
          })
          .strict()
          .refine(
            (w) => w.format !== 'generic' || w.secretEnv,
            'a generic webhook needs secretEnv (its HMAC key)',
          ),
      )
      .default([]),
    alerts: z
      .object({
        expiryWarningDays: z.number().int().min(0).max(365).default(14),
        sla: z
          .object({
            critical: z.number().int().min(1).default(7),
            high: z.number().int().min(1).default(30),
            medium: z.number().int().min(1).default(90),
            low: z.number().int().min(1).default(180),
          })
          .strict()
          .default({ critical: 7, high: 30, medium: 90, low: 180 }),
        slaWarningDays: z.number().int().min(0).max(365).default(7),
      })
      .strict()
      .default({
        expiryWarningDays: 14,
        sla: { critical: 7, high: 30, medium: 90, low: 180 },
        slaWarningDays: 7,
      }),
  })
  .strict();

/** Parsed configuration. */
export type MonitorConfig = z.input<typeof monitorConfigSchema>;
/** Configuration with defaults applied. */
export type ResolvedMonitorConfig = z.output<typeof monitorConfigSchema>;

/** Reads and validates a configuration file; EvidentError(E_CONFIG) naming the file and the bad field. */
export function readMonitorConfig(file: string): ResolvedMonitorConfig {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new EvidentError('E_CONFIG', `cannot read ${file}: ${(err as Error).message}`, { file });
  }
  const r = monitorConfigSchema.safeParse(raw ?? {});
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new EvidentError('E_CONFIG', `${file}: ${i.path.join('.') || '(root)'}: ${i.message}`, {
      file,
      hint: 'see docs/server.md, "Monitoring"',
    });
  }
  return r.data;
}
