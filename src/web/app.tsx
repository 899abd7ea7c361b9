/**
 * The dashboard shell: skip link, header with navigation (links by role), theme choice, the user and logout;
 * routes; pages an account's role may not open answer "access denied" (the server refuses their API calls too).
 */
import { type ReactNode, useEffect, useState } from 'react';
import { BrowserRouter, NavLink, Route, Routes, useLocation } from 'react-router';
import { Page } from './components/page.js';
import { RepositoriesPage, TokensPage, UsersPage } from './pages/admin.js';
import { ControlPage } from './pages/control.js';
import { ExportPage } from './pages/export.js';
import { FindingPage } from './pages/finding.js';
import { FindingsPage } from './pages/findings.js';
import { FrameworkPage } from './pages/framework.js';
import { AlertsPage, EvidencePage, WaiversPage } from './pages/lists.js';
import { LoginPage } from './pages/login.js';
import { OverviewPage } from './pages/overview.js';
import { RequirementPage } from './pages/requirement.js';
import { RunPage } from './pages/run.js';
import { RunsPage } from './pages/runs.js';
import { ALERT_ROLES, SessionProvider, useSession } from './session.js';
import { type ThemeChoice, ThemeContext, useTheme } from './theme.js';

/** The app (router and session). */
export function App() {
  const t = useTheme();
  return (
    <ThemeContext.Provider value={t.theme}>
      <SessionProvider>
        <BrowserRouter>
          <Shell theme={t.choice} setTheme={t.setChoice} />
        </BrowserRouter>
      </SessionProvider>
    </ThemeContext.Provider>
  );
}

function Shell({ theme, setTheme }: { theme: ThemeChoice; setTheme(c: ThemeChoice): void }) {
  const { user, logout } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: close the phone menu on every navigation
  useEffect(() => setMenuOpen(false), [location.pathname]);
  if (user === undefined) {
    return (
      <p role="status" className="muted boot">
        Loading…
      </p>
    );
  }
  if (user === null) return <LoginPage />;
  const links: [string, string][] = [
    ['/', 'Overview'],
    ['/findings', 'Findings'],
    ['/runs', 'Runs'],
    ['/waivers', 'Waivers'],
    ['/evidence', 'Evidence'],
    ...(ALERT_ROLES.includes(user.role) ? ([['/alerts', 'Alerts']] as [string, string][]) : []),
    ['/export', 'Export'],
    ...(user.role === 'admin' ? ([['/admin/users', 'Admin']] as [string, string][]) : []),
  ];
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="top">
        <div className="brand">Evident</div>
        <button
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen((o) => !o)}
        >
          Menu
        </button>
        <nav id="main-nav" aria-label="Main" className={menuOpen ? 'open' : undefined}>
          <ul>
            {links.map(([to, label]) => (
              <li key={to}>
                <NavLink to={to} end={to === '/'}>
                  {label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="user">
          <label className="theme-choice">
            <span>Theme</span>
            <select value={theme} onChange={(e) => setTheme(e.target.value as ThemeChoice)}>
              <option value="system">System</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </label>
          <span className="who" title={user.email}>
            {user.email} <span className="role">({user.role})</span>
          </span>
          <button type="button" onClick={() => void logout()}>
            Log out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Routes>
          <Route path="/" element={<OverviewPage />} />
          <Route path="/frameworks/:framework" element={<FrameworkPage />} />
          <Route path="/frameworks/:framework/requirements/:requirement" element={<RequirementPage />} />
          <Route path="/controls/:control" element={<ControlPage />} />
          <Route path="/findings" element={<FindingsPage />} />
          <Route path="/findings/:repo/:fingerprint" element={<FindingPage />} />
          <Route path="/runs" element={<RunsPage />} />
          <Route path="/runs/:id" element={<RunPage />} />
          <Route path="/waivers" element={<WaiversPage />} />
          <Route path="/evidence" element={<EvidencePage />} />
          <Route
            path="/alerts"
            element={
              <RequireRole roles={ALERT_ROLES}>
                <AlertsPage />
              </RequireRole>
            }
          />
          <Route path="/export" element={<ExportPage />} />
          <Route
            path="/admin/users"
            element={
              <RequireRole roles={['admin']}>
                <UsersPage />
              </RequireRole>
            }
          />
          <Route
            path="/admin/repositories"
            element={
              <RequireRole roles={['admin']}>
                <RepositoriesPage />
              </RequireRole>
            }
          />
          <Route
            path="/admin/repositories/:name"
            element={
              <RequireRole roles={['admin']}>
                <TokensPage />
              </RequireRole>
            }
          />
          <Route
            path="*"
            element={
              <Page title="Page not found">
                <p>There is no page at this address.</p>
              </Page>
            }
          />
        </Routes>
      </main>
    </>
  );
}

/** Renders `children` only for `roles`; others get an access-denied page. */
function RequireRole({ roles, children }: { roles: readonly string[]; children: ReactNode }) {
  const { user } = useSession();
  if (user && roles.includes(user.role)) return <>{children}</>;
  return (
    <Page title="Access denied">
      <p role="alert">
        Your role ({user?.role}) may not open this page. It is for: {roles.join(', ')}.
      </p>
    </Page>
  );
}
