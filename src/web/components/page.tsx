/**
 * Page frame: the page's <h1> (focused after client-side navigation, so screen readers announce the new page),
 * the document title, and the loading / error states of its data.
 */
import { type ReactNode, useEffect, useRef } from 'react';
import type { ApiError } from '../api/client.js';
import { useTitle } from '../hooks.js';

/** False until the first page has mounted: a full page load leaves focus at the top (skip link first). */
let navigated = false;

/** A page with heading `title`, after an optional breadcrumb trail. */
export function Page({
  title,
  children,
  crumbs,
}: {
  title: string;
  children: ReactNode;
  crumbs?: ReactNode;
}) {
  useTitle(title);
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // after client-side navigation, move focus to the new page's heading (unless the user is in a control of
    // this page); on a full page load, leave it at the top of the document
    if (!navigated) {
      navigated = true;
      return;
    }
    const active = document.activeElement;
    if (!active || active === document.body || active.closest('nav, header')) h1.current?.focus();
  }, []);
  return (
    <>
      {crumbs ? (
        <nav aria-label="Breadcrumb" className="crumbs">
          {crumbs}
        </nav>
      ) : null}
      <h1 ref={h1} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </>
  );
}

/** Renders `children(data)` once loaded; a status line while loading; the server's error otherwise. */
export function Async<T>({
  state,
  children,
  what,
}: {
  state: { data: T | undefined; error: ApiError | undefined; loading: boolean };
  children: (data: T) => ReactNode;
  what: string;
}) {
  if (state.error) return <ErrorNote error={state.error} what={what} />;
  if (state.data === undefined) {
    return (
      <p role="status" className="muted">
        Loading {what}…
      </p>
    );
  }
  return (
    <div aria-busy={state.loading} className={state.loading ? 'reloading' : undefined}>
      {children(state.data)}
    </div>
  );
}

/** An API error, with the server's message and hint. */
export function ErrorNote({ error, what }: { error: ApiError; what: string }) {
  return (
    <div role="alert" className="error-note">
      <p>
        <strong>Could not load {what}:</strong> {error.message}
        {error.status ? ` (HTTP ${error.status}, ${error.code})` : ''}
      </p>
      {error.hint ? <p>{error.hint}</p> : null}
    </div>
  );
}
