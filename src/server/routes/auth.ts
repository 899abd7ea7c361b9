/** Login, logout and the current session. */
import { z } from 'zod';
import { createSession, deleteSession, userForLogin } from '../../store/users.js';
import { SESSION_COOKIE } from '../app.js';
import { verifyPassword } from '../passwords.js';
import { READERS } from '../roles.js';
import { HttpError, type RouteDef, route } from '../route.js';

const SESSION_TTL_MS = 12 * 3600 * 1000;
/** A valid scrypt hash of a random password: failed logins for unknown emails take as long as for known ones. */
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

const sessionBody = z.object({
  user: z.object({ id: z.number(), email: z.string(), role: z.string() }),
  csrfToken: z.string(),
});

/** Authentication routes. */
export const authRoutes: RouteDef[] = [
  route({
    method: 'POST',
    url: '/api/login',
    summary:
      'Log in with email and password; sets the session cookie and returns the CSRF token (rate limited)',
    tag: 'auth',
    access: { kind: 'public' },
    body: z.object({ email: z.string().min(3).max(320), password: z.string().min(1).max(1024) }),
    response: sessionBody,
    async handler({ body, reply, ctx }) {
      const u = await userForLogin(ctx.store.db, body.email.toLowerCase());
      const ok = await verifyPassword(body.password, u?.passwordHash ?? DUMMY_HASH);
      if (!u || !ok) throw new HttpError(401, 'E_LOGIN', 'wrong email or password');
      const s = await createSession(ctx.store.db, u.id, SESSION_TTL_MS);
      reply.setCookie(SESSION_COOKIE, s.id, {
        path: '/',
        httpOnly: true,
        secure: ctx.secureCookies,
        sameSite: 'strict',
        expires: new Date(s.expiresAt),
      });
      return { user: { id: u.id, email: u.email, role: u.role }, csrfToken: s.csrfToken };
    },
  }),
  route({
    method: 'POST',
    url: '/api/logout',
    summary: 'End the session',
    tag: 'auth',
    access: { kind: 'session', roles: READERS },
    async handler({ request, reply, ctx }) {
      const sid = request.cookies[SESSION_COOKIE];
      if (sid) await deleteSession(ctx.store.db, sid);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { status: 'logged out' };
    },
  }),
  route({
    method: 'GET',
    url: '/api/session',
    summary: 'The logged-in user and the CSRF token to send in x-csrf-token',
    tag: 'auth',
    access: { kind: 'session', roles: READERS },
    response: sessionBody,
    async handler({ request, ctx, user }) {
      const { sessionUser } = await import('../../store/users.js');
      const s = await sessionUser(ctx.store.db, request.cookies[SESSION_COOKIE]!);
      return { user: user!, csrfToken: s!.csrfToken };
    },
  }),
];
