// The queue's table, its pager and its filters' selects, in plain HTML. The queue is the page a reviewer opens
// first every day; antd's Table, Pagination and Select made its first render on an empty browser cache take
// about half a second more on this project's 2-core machine (docs/benchmarks.md), for nothing a reviewer
// needs here: a native <table> with checkboxes, <select>s and buttons are read by screen readers as what they
// are, and work with the keyboard without help.
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';

export interface QueueColumn<Row> {
  key: string;
  title: string;
  cell(row: Row): ReactNode;
  className?: string;
}

export interface QueueSelection<Row> {
  /** The selected row keys (the current page's and others'): a set, or a map by key. */
  selected: Pick<ReadonlySet<string>, 'has'>;
  /** Only rows an action can move can be chosen. */
  selectable(row: Row): boolean;
  /** The accessible name of a row's checkbox. */
  label(row: Row): string;
  /** The rows of this page now chosen (the others of the page are not). */
  onChange(chosen: Row[]): void;
}

export function QueueTable<Row>(props: {
  caption: string;
  rows: Row[];
  rowKey(row: Row): string;
  rowClass(row: Row): string;
  columns: Array<QueueColumn<Row>>;
  selection: QueueSelection<Row>;
  loading: boolean;
  empty: string;
}) {
  const { t } = useTranslation();
  const { rows, rowKey, selection } = props;
  const selectable = rows.filter((r) => selection.selectable(r));
  const chosen = selectable.filter((r) => selection.selected.has(rowKey(r)));
  const all = selectable.length > 0 && chosen.length === selectable.length;
  const some = chosen.length > 0 && !all;
  const toggle = (row: Row, on: boolean) =>
    selection.onChange(on ? [...chosen, row] : chosen.filter((r) => rowKey(r) !== rowKey(row)));
  return (
    <div className={`queue-table-wrap${props.loading ? ' loading' : ''}`} aria-busy={props.loading}>
      <table className="staff-queue queue-table">
        <caption className="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="queue-check">
              <input
                type="checkbox"
                aria-label={t('staff.bulk.selectPage')}
                checked={all}
                disabled={selectable.length === 0}
                ref={(el) => {
                  if (el) el.indeterminate = some;
                }}
                onChange={(e) => selection.onChange(e.target.checked ? selectable : [])}
              />
            </th>
            {props.columns.map((c) => (
              <th key={c.key} scope="col" className={c.className}>
                {c.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr className="queue-empty">
              <td colSpan={props.columns.length + 1}>{props.loading ? t('common.loading') : props.empty}</td>
            </tr>
          ) : (
            rows.map((r) => {
              const key = rowKey(r);
              const can = selection.selectable(r);
              return (
                <tr key={key} data-row-key={key} className={`queue-row ${props.rowClass(r)}`}>
                  <td className="queue-check">
                    <input
                      type="checkbox"
                      aria-label={selection.label(r)}
                      disabled={!can}
                      checked={can && selection.selected.has(key)}
                      onChange={(e) => toggle(r, e.target.checked)}
                    />
                  </td>
                  {props.columns.map((c) => (
                    <td key={c.key} className={c.className}>
                      {c.cell(r)}
                    </td>
                  ))}
                </tr>
              );
            })
          )}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The pages that get a button of their own: the first, the last and two either side of the current one; a run of
 * pages left out is one gap, and a gap that would hide a single page shows that page instead.
 */
export function pageButtons(current: number, pages: number): Array<number | 'gap'> {
  // Only the pages that can be shown are looked at (at most seven, and those next to a gap), not every page.
  const shown = [...new Set([1, current - 2, current - 1, current, current + 1, current + 2, pages])]
    .filter((p) => p >= 1 && p <= pages)
    .sort((a, b) => a - b);
  const out: Array<number | 'gap'> = [];
  for (const p of shown) {
    const last = out[out.length - 1];
    if (typeof last === 'number' && p - last === 2) out.push(last + 1);
    else if (typeof last === 'number' && p - last > 2) out.push('gap');
    out.push(p);
  }
  return out;
}

/** "N open cases", or "More than N open cases" when the server counted only so far. */
export function queueTotal(t: TFunction, total: number, more: boolean): string {
  return t(more ? 'staff.queue.totalMore' : 'staff.queue.total', { count: total });
}

export function QueuePager(props: {
  page: number;
  pageSize: number;
  total: number;
  more?: boolean;
  sizes: number[];
  onChange(page: number, pageSize: number): void;
}) {
  const { t } = useTranslation();
  const sizeId = useId();
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  const go = (p: number) => props.onChange(Math.min(Math.max(1, p), pages), props.pageSize);
  return (
    <nav className="queue-pager" aria-label={t('staff.pager.label')}>
      <span className="queue-pager-total">{queueTotal(t, props.total, props.more ?? false)}</span>
      <button type="button" className="tool-button" disabled={props.page <= 1} onClick={() => go(props.page - 1)}>
        {t('staff.pager.previous')}
      </button>
      <ol className="queue-pages">
        {pageButtons(props.page, pages).map((p, i) =>
          p === 'gap' ? (
            <li key={`gap-${i}`} aria-hidden="true" className="queue-gap">
              …
            </li>
          ) : (
            <li key={p}>
              <button
                type="button"
                className={`tool-button${p === props.page ? ' pressed' : ''}`}
                aria-current={p === props.page ? 'page' : undefined}
                aria-label={t('staff.pager.page', { page: p })}
                onClick={() => go(p)}
              >
                {p}
              </button>
            </li>
          ),
        )}
      </ol>
      <button type="button" className="tool-button" disabled={props.page >= pages} onClick={() => go(props.page + 1)}>
        {t('staff.pager.next')}
      </button>
      <label className="queue-size">
        <span id={sizeId}>{t('staff.pager.size')}</span>
        <select
          className="native-select"
          aria-labelledby={sizeId}
          value={props.pageSize}
          onChange={(e) => props.onChange(1, Number(e.target.value))}
        >
          {props.sizes.map((s) => (
            <option key={s} value={s}>
              {t('staff.pager.perPage', { count: s })}
            </option>
          ))}
        </select>
      </label>
    </nav>
  );
}

/**
 * A labelled native select of a filter. Named by its label alone (aria-labelledby): inside a <label>, the name
 * would also take in the chosen option's text.
 */
export function FilterSelect<V extends string>(props: {
  label: string;
  value: V;
  options: Array<{ value: V; label: string }>;
  onChange(v: V): void;
  width: number;
}) {
  const id = useId();
  return (
    <label className="staff-filter">
      <span id={id}>{props.label}</span>
      <select
        className="native-select"
        aria-labelledby={id}
        style={{ width: props.width }}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value as V)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
