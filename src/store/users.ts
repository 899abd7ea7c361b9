/**
 * Accounts and sessions. Session ids are 32 random bytes (base64url) given to the browser in a cookie; only their
 * SHA-256 is stored. Each session carries a CSRF token the client echoes in `x-csrf-token`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from './open-store.js';
import { sessions, users } from './schema.js';

/** An account (without its password hash). */
export interface User {
  id: number;
  email: string;
  role: string;
}

const hashId = (id: string): string => createHash('sha256').update(id, 'utf8').digest('hex');

/** Creates a user, or replaces the role and password of an existing one (re-enabling it). */
export async function upsertUser(db: Db, email: string, role: string, passwordHash: string): Promise<User> {
  const r = await db
    .insert(users)
    .values({ email, role, passwordHash })
    .onConflictDoUpdate({ target: users.email, set: { role, passwordHash, disabledAt: null } })
    .returning({ id: users.id, email: users.email, role: users.role });
  return r[0]!;
}

/** The enabled user with `email` and their password hash, or undefined. */
export async function userForLogin(
  db: Db,
  email: string,
): Promise<(User & { passwordHash: string }) | undefined> {
  const r = await db
    .select({ id: users.id, email: users.email, role: users.role, passwordHash: users.passwordHash })
    .from(users)
    .where(and(eq(users.email, email), isNull(users.disabledAt)));
  return r[0];
}

/** Enabled users by email. */
export async function listUsers(db: Db): Promise<(User & { createdAt: string })[]> {
  return db
    .select({ id: users.id, email: users.email, role: users.role, createdAt: users.createdAt })
    .from(users)
    .where(isNull(users.disabledAt))
    .orderBy(users.email);
}

/** Disables a user and ends their sessions; false when no such enabled user. */
export async function disableUser(db: Db, id: number): Promise<boolean> {
  const r = await db
    .update(users)
    .set({ disabledAt: sql`now()` })
    .where(and(eq(users.id, id), isNull(users.disabledAt)))
    .returning({ id: users.id });
  await db.delete(sessions).where(eq(sessions.userId, id));
  return r.length > 0;
}

/** Starts a session of `ttlMs`; returns the cookie value and CSRF token (both shown only to this client). */
export async function createSession(
  db: Db,
  userId: number,
  ttlMs: number,
): Promise<{ id: string; csrfToken: string; expiresAt: string }> {
  const id = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlMs).toISOString();
  await db.insert(sessions).values({ idHash: hashId(id), userId, csrfToken, expiresAt });
  return { id, csrfToken, expiresAt };
}

/** The live session for a cookie value, with its user; undefined when unknown, expired or the user is disabled. */
export async function sessionUser(db: Db, id: string): Promise<(User & { csrfToken: string }) | undefined> {
  const r = await db
    .select({ id: users.id, email: users.email, role: users.role, csrfToken: sessions.csrfToken })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(eq(sessions.idHash, hashId(id)), gt(sessions.expiresAt, sql`now()`), isNull(users.disabledAt)),
    );
  return r[0];
}

/** Ends a session (idempotent). */
export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.idHash, hashId(id)));
}
