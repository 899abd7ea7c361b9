/** The logged-in user: loaded from `/api/session` at start, set by login, cleared by logout or any 401. */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { Session } from '../server/api-schemas.js';
import { ApiError, api, onUnauthenticated, setCsrfToken } from './api/client.js';

/** The session as components see it. */
export interface SessionState {
  /** `undefined` while loading, `null` when logged out. */
  user: Session['user'] | null | undefined;
  /** Error of the initial session load other than "not logged in" (the server is down, say). */
  error?: ApiError;
  login(email: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const Ctx = createContext<SessionState | undefined>(undefined);

/** Provides the session to the app. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<Session['user'] | null | undefined>(undefined);
  const [error, setError] = useState<ApiError>();

  useEffect(() => {
    api.session().then(
      (s) => {
        setCsrfToken(s.csrfToken);
        setUser(s.user);
      },
      (err: unknown) => {
        if (!(err instanceof ApiError) || err.status !== 401) setError(err as ApiError);
        setUser(null);
      },
    );
    return onUnauthenticated(() => {
      setCsrfToken('');
      setUser(null);
    });
  }, []);

  const login = useCallback(async (email: string, password: string) => {
    const s = await api.login(email, password);
    setCsrfToken(s.csrfToken);
    setError(undefined);
    setUser(s.user);
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      setCsrfToken('');
      setUser(null);
    }
  }, []);

  const value = useMemo(() => ({ user, error, login, logout }), [user, error, login, logout]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

/** The session (inside {@link SessionProvider}). */
export function useSession(): SessionState {
  const s = useContext(Ctx);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** Roles that may read alerts (`/api/alerts` is staff only). */
export const ALERT_ROLES = ['admin', 'engineer', 'reviewer'];
