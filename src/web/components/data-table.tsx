/**
 * A table with a caption and optionally sortable columns: header buttons toggle the order, `aria-sort` tells
 * assistive technology. Sorting is either local (rows sorted here by `sortValue`) or controlled by the caller
 * (server-side sorting: `sort`, `order`, `onSort`).
 */
import { type ReactNode, useState } from 'react';

/** One column. */
export interface Column<R> {
  key: string;
  header: string;
  cell(row: R): ReactNode;
  /** Value for local sorting; the column is sortable when given (or when `serverSort` is). */
  sortValue?(row: R): string | number;
  /** Sort key sent to the server (controlled sorting). */
  serverSort?: string;
  className?: string;
}

interface Props<R> {
  caption: string;
  columns: Column<R>[];
  rows: readonly R[];
  rowKey(row: R): string;
  empty?: string;
  /** Controlled sorting (server side). */
  sort?: string;
  order?: 'asc' | 'desc';
  onSort?(key: string, order: 'asc' | 'desc'): void;
  /** Initial local sort. */
  initialSort?: { key: string; order: 'asc' | 'desc' };
  captionHidden?: boolean;
}

/** See module doc. */
export function DataTable<R>(p: Props<R>) {
  const [local, setLocal] = useState(p.initialSort);
  const controlled = p.onSort !== undefined;
  const active = controlled ? { key: p.sort ?? '', order: p.order ?? 'desc' } : local;
  let rows = p.rows;
  if (!controlled && local) {
    const col = p.columns.find((c) => c.key === local.key);
    if (col?.sortValue) {
      const f = col.sortValue;
      rows = [...rows].sort((a, b) => {
        const x = f(a);
        const y = f(b);
        const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        return local.order === 'asc' ? c : -c;
      });
    }
  }
  const toggle = (c: Column<R>) => {
    const key = controlled ? c.serverSort! : c.key;
    const order = active?.key === key && active.order === 'asc' ? 'desc' : 'asc';
    if (controlled) p.onSort!(key, order);
    else setLocal({ key, order });
  };
  return (
    <div className="table-wrap">
      <table>
        <caption className={p.captionHidden ? 'visually-hidden' : undefined}>{p.caption}</caption>
        <thead>
          <tr>
            {p.columns.map((c) => {
              const sortable = controlled ? c.serverSort !== undefined : c.sortValue !== undefined;
              const key = controlled ? c.serverSort : c.key;
              const sorted = sortable && active?.key === key;
              return (
                <th
                  key={c.key}
                  scope="col"
                  className={c.className}
                  aria-sort={sorted ? (active!.order === 'asc' ? 'ascending' : 'descending') : undefined}
                >
                  {sortable ? (
                    <button type="button" className="sort" onClick={() => toggle(c)}>
                      {c.header}
                      <span aria-hidden="true" className="sort-mark">
                        {sorted ? (active!.order === 'asc' ? '▲' : '▼') : '↕'}
                      </span>
                    </button>
                  ) : (
                    c.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={p.columns.length} className="muted">
                {p.empty ?? 'Nothing to show.'}
              </td>
            </tr>
          ) : (
            rows.map((r) => (
              <tr key={p.rowKey(r)}>
                {p.columns.map((c) => (
                  <td key={c.key} className={c.className}>
                    {c.cell(r)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

/** Previous / next page buttons for a list of `total` rows shown `limit` at a time from `offset`. */
export function Pager({
  total,
  limit,
  offset,
  onPage,
  label,
}: {
  total: number;
  limit: number;
  offset: number;
  onPage(offset: number): void;
  label: string;
}) {
  const last = Math.min(offset + limit, total);
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <span role="status">{total === 0 ? 'No rows' : `Rows ${offset + 1}–${last} of ${total}`}</span>
      <button type="button" disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - limit))}>
        Previous page
      </button>
      <button type="button" disabled={last >= total} onClick={() => onPage(offset + limit)}>
        Next page
      </button>
    </nav>
  );
}
