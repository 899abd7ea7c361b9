/**
 * Administration (admins only; the server refuses other roles with 403): users and roles, repositories and the
 * keys their pushes are verified with, push tokens. One-time secrets (passwords, tokens) are shown once.
 */
import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, api } from '../api/client.js';
import { DataTable } from '../components/data-table.js';
import { InputField, SelectField } from '../components/fields.js';
import { Async, ErrorNote, Page } from '../components/page.js';
import { dateTime } from '../format.js';
import { useApi } from '../hooks.js';
import { useSession } from '../session.js';

const ROLES = ['admin', 'engineer', 'reviewer', 'auditor'] as const;

/** Runs `fn`, keeping its error for display. */
function useAction() {
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'E_CLIENT', String(err)));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}

/** A secret shown once. */
function OneTime({ label, value }: { label: string; value: string }) {
  return (
    <div className="secret" role="status">
      <p>
        <strong>{label}</strong> (shown once; copy it now):
      </p>
      <output className="mono">{value}</output>
    </div>
  );
}

/** `/admin/users` */
export function UsersPage() {
  const { user: me } = useSession();
  const users = useApi(() => api.users(), []);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<string>('auditor');
  const [created, setCreated] = useState<{ email: string; password: string }>();
  const act = useAction();
  const add = (e: FormEvent) => {
    e.preventDefault();
    void act.run(async () => {
      const r = await api.addUser(email, role);
      setCreated({ email: r.user.email, password: r.oneTimePassword });
      setEmail('');
      users.reload();
    });
  };
  const disable = (id: number, who: string) => {
    if (!window.confirm(`Disable ${who} and end their sessions?`)) return;
    void act.run(async () => {
      await api.disableUser(id);
      users.reload();
    });
  };
  return (
    <Page title="Users">
      <AdminNav />
      <Async state={users} what="the users">
        {(u) => (
          <DataTable
            caption={`${u.items.length} users`}
            rows={u.items}
            rowKey={(x) => String(x.id)}
            initialSort={{ key: 'email', order: 'asc' }}
            columns={[
              { key: 'email', header: 'Email', cell: (x) => x.email, sortValue: (x) => x.email },
              { key: 'role', header: 'Role', cell: (x) => x.role, sortValue: (x) => x.role },
              { key: 'created', header: 'Created', cell: (x) => dateTime(x.createdAt) },
              {
                key: 'actions',
                header: 'Actions',
                cell: (x) =>
                  x.id === me?.id ? (
                    <span className="muted">you</span>
                  ) : (
                    <button type="button" className="danger" onClick={() => disable(x.id, x.email)}>
                      Disable <span className="visually-hidden">{x.email}</span>
                    </button>
                  ),
              },
            ]}
          />
        )}
      </Async>
      <h2>Add or reset a user</h2>
      <form className="form" onSubmit={add} aria-label="Add or reset a user">
        <InputField label="Email" type="email" value={email} onChange={setEmail} required />
        <SelectField
          label="Role"
          value={role}
          onChange={setRole}
          options={ROLES.map((r) => [r, r] as const)}
        />
        <div className="form-actions">
          <button type="submit" disabled={act.busy}>
            Add user
          </button>
        </div>
      </form>
      {created ? <OneTime label={`One-time password for ${created.email}`} value={created.password} /> : null}
      {act.error ? <ErrorNote error={act.error} what="the change" /> : null}
    </Page>
  );
}

function AdminNav() {
  return (
    <nav aria-label="Administration" className="subnav">
      <Link to="/admin/users">Users</Link>
      <Link to="/admin/repositories">Repositories and tokens</Link>
    </nav>
  );
}

/** `/admin/repositories` */
export function RepositoriesPage() {
  const repos = useApi(() => api.repositories(), []);
  const [name, setName] = useState('');
  const [pem, setPem] = useState('');
  const act = useAction();
  const add = (e: FormEvent) => {
    e.preventDefault();
    void act.run(async () => {
      await api.addRepository(name, pem);
      setName('');
      setPem('');
      repos.reload();
    });
  };
  return (
    <Page title="Repositories">
      <AdminNav />
      <Async state={repos} what="the repositories">
        {(r) => (
          <DataTable
            caption={`${r.items.length} repositories`}
            rows={r.items}
            rowKey={(x) => x.name}
            initialSort={{ key: 'name', order: 'asc' }}
            columns={[
              {
                key: 'name',
                header: 'Repository',
                cell: (x) => <Link to={`/admin/repositories/${encodeURIComponent(x.name)}`}>{x.name}</Link>,
                sortValue: (x) => x.name,
              },
              {
                key: 'key',
                header: 'CI signing key',
                cell: (x) =>
                  x.keyId ? <span className="mono">{x.keyId}</span> : 'none (indexed from a local log)',
              },
              { key: 'created', header: 'Registered', cell: (x) => dateTime(x.createdAt) },
            ]}
          />
        )}
      </Async>
      <h2>Register a repository</h2>
      <form className="form" onSubmit={add} aria-label="Register a repository">
        <InputField label="Name" value={name} onChange={setName} required hint="e.g. acme/payments" />
        <div className="field">
          <label htmlFor="pem">Public key of its CI (PEM)</label>
          <textarea id="pem" rows={4} value={pem} onChange={(e) => setPem(e.target.value)} required />
        </div>
        <div className="form-actions">
          <button type="submit" disabled={act.busy}>
            Register
          </button>
        </div>
      </form>
      {act.error ? <ErrorNote error={act.error} what="the change" /> : null}
    </Page>
  );
}

/** `/admin/repositories/:name`: push tokens. */
export function TokensPage() {
  const { name = '' } = useParams();
  const tokens = useApi(() => api.tokens(name), [name]);
  const [created, setCreated] = useState<string>();
  const act = useAction();
  const create = () =>
    void act.run(async () => {
      setCreated((await api.createToken(name)).token);
      tokens.reload();
    });
  const revoke = (id: number, prefix: string) => {
    if (!window.confirm(`Revoke token ${prefix}…? CI using it can no longer push.`)) return;
    void act.run(async () => {
      await api.revokeToken(name, id);
      tokens.reload();
    });
  };
  return (
    <Page title={`Push tokens of ${name}`}>
      <AdminNav />
      <button type="button" onClick={create} disabled={act.busy}>
        Create a push token
      </button>
      {created ? (
        <OneTime label="New push token (store it as the CI secret EVIDENT_PUSH_TOKEN)" value={created} />
      ) : null}
      {act.error ? <ErrorNote error={act.error} what="the change" /> : null}
      <Async state={tokens} what="the tokens">
        {(t) => (
          <DataTable
            caption={`${t.items.length} tokens (only their prefixes are kept in clear)`}
            rows={t.items}
            rowKey={(x) => String(x.id)}
            columns={[
              { key: 'prefix', header: 'Prefix', cell: (x) => <span className="mono">{x.prefix}…</span> },
              { key: 'created', header: 'Created', cell: (x) => dateTime(x.createdAt) },
              { key: 'used', header: 'Last used', cell: (x) => dateTime(x.lastUsedAt) },
              {
                key: 'state',
                header: 'State',
                cell: (x) =>
                  x.revokedAt ? (
                    `revoked ${dateTime(x.revokedAt)}`
                  ) : (
                    <button type="button" className="danger" onClick={() => revoke(x.id, x.prefix)}>
                      Revoke <span className="visually-hidden">{x.prefix}</span>
                    </button>
                  ),
              },
            ]}
          />
        )}
      </Async>
    </Page>
  );
}
