/** Shared zod pieces of the route schemas. */
import { z } from 'zod';

/** `?limit=&offset=`: at most 500 rows a page. */
export const page = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
};

/** A repository name. */
export const repoName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._/-]+$/, 'letters, digits, . _ / - only');

/** A framework id. */
export const frameworkId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9-]+$/, 'a framework id such as soc2');

/** `YYYY-MM-DD`. */
export const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'not a calendar date');

/** A numeric path id. */
export const idParam = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** `asc` or `desc`. */
export const order = z.enum(['asc', 'desc']).default('desc');
