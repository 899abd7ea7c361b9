/** Login form (email and password); the server sets an HttpOnly session cookie. */
import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/client.js';
import { InputField } from '../components/fields.js';
import { useTitle } from '../hooks.js';
import { useSession } from '../session.js';

/** Shown instead of every page while logged out. */
export function LoginPage() {
  useTitle('Log in');
  const { login, error: sessionError } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await login(email, password);
    } catch (err) {
      setError(
        err instanceof ApiError
          ? err.status === 429
            ? 'Too many attempts: wait a minute and try again.'
            : err.message
          : String(err),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" className="login" tabIndex={-1}>
      <h1>Evident</h1>
      <p className="muted">Continuous compliance from signed evidence.</p>
      {sessionError ? (
        <p role="alert" className="error-note">
          The server did not answer: {sessionError.message}
        </p>
      ) : null}
      <form onSubmit={submit} className="form" aria-label="Log in">
        <InputField
          label="Email"
          type="email"
          name="email"
          value={email}
          onChange={setEmail}
          required
          autoComplete="username"
        />
        <InputField
          label="Password"
          type="password"
          name="password"
          value={password}
          onChange={setPassword}
          required
          autoComplete="current-password"
        />
        <div role="alert">{error ? <p className="error-note">{error}</p> : null}</div>
        <div className="form-actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Logging in…' : 'Log in'}
          </button>
        </div>
      </form>
    </main>
  );
}
