/**
 * Repositories and their push tokens. A token is 32 random bytes (base64url, prefixed `evt_`), shown once to the
 * admin who creates it; only its SHA-256 is stored (a high-entropy secret needs no slow hash), with an 8-character
 * prefix to recognise it in lists. Revoked tokens stay listed with `revokedAt`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from './open-store.js';
import { apiTokens, repositories } from './schema.js';

/** A repository row. */
export interface Repository {
  id: number;
  name: string;
  publicKeyPem: string | null;
  keyId: string | null;
  createdAt: string;
}

/** sha256 hex of a token (what is stored and looked up). */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The repository named `name`, or undefined. */
export async function repositoryByName(db: Db, name: string): Promise<Repository | undefined> {
  const r = await db.select().from(repositories).where(eq(repositories.name, name));
  return r[0];
}

/** All repositories by name. */
export async function listRepositories(db: Db): Promise<Repository[]> {
  return db.select().from(repositories).orderBy(repositories.name);
}

/**
 * Creates a repository or, when it exists, sets its key (`publicKeyPem`/`keyId` may be null for a repository
 * known only from an indexed file log). Returns the row.
 */
export async function upsertRepository(
  db: Db,
  name: string,
  key?: { publicKeyPem: string; keyId: string },
): Promise<Repository> {
  const set = key ? { publicKeyPem: key.publicKeyPem, keyId: key.keyId } : {};
  const r = await db
    .insert(repositories)
    .values({ name, ...set })
    .onConflictDoUpdate({ target: repositories.name, set: key ? set : { name } })
    .returning();
  return r[0]!;
}

/** Creates a push token for `repoId`; returns the token text (the only time it exists in clear) and its id. */
export async function createToken(
  db: Db,
  repoId: number,
): Promise<{ id: number; token: string; prefix: string }> {
  const token = `evt_${randomBytes(32).toString('base64url')}`;
  const prefix = token.slice(0, 12);
  const r = await db
    .insert(apiTokens)
    .values({ repoId, tokenHash: tokenHash(token), prefix })
    .returning({ id: apiTokens.id });
  return { id: r[0]!.id, token, prefix };
}

/** Revokes token `id` of `repoId`; false when no such live token. */
export async function revokeToken(db: Db, repoId: number, id: number): Promise<boolean> {
  const r = await db
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.id, id), eq(apiTokens.repoId, repoId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return r.length > 0;
}

/** Tokens of a repository (never their hash). */
export async function listTokens(
  db: Db,
  repoId: number,
): Promise<
  { id: number; prefix: string; createdAt: string; revokedAt: string | null; lastUsedAt: string | null }[]
> {
  return db
    .select({
      id: apiTokens.id,
      prefix: apiTokens.prefix,
      createdAt: apiTokens.createdAt,
      revokedAt: apiTokens.revokedAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.repoId, repoId))
    .orderBy(apiTokens.id);
}

/** The repository a live (not revoked) token belongs to, or undefined. Records the use time. */
export async function repositoryByToken(db: Db, token: string): Promise<Repository | undefined> {
  const r = await db
    .update(apiTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(apiTokens.tokenHash, tokenHash(token)), isNull(apiTokens.revokedAt)))
    .returning({ repoId: apiTokens.repoId });
  if (!r[0]) return undefined;
  const repo = await db.select().from(repositories).where(eq(repositories.id, r[0].repoId));
  return repo[0];
}
