// The reviewer's queue: my department's open cases, due soonest first, with filters (status, near due,
// overdue, bundle), the working days left on the official calendar, and pages. The table, pager and filters
// are plain HTML (QueueTable.tsx says why); antd comes in only with the bulk actions and a problem, a chunk
// of their own (QueueExtras.tsx) that the first render does not wait for.
import { Suspense, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { DivisionListItem } from '@onething/shared/identifiers';
import { useLang } from '../../lib/preferences';
import { pick } from '../../lib/text';
import { StatusTag } from '../../components/StatusTag';
import { useWorkCalendar } from '../../features/calendar/api';
import { todayInChina } from '@onething/shared/calendar';
import { useBundles, useItemNames } from '../../features/catalogue/api';
import {
  BULK_ACTIONS,
  useBulkAction,
  useQueue,
  type BulkAction,
  type BulkResult,
  type QueueFilter,
} from '../../features/cases/staff';
import type { CaseQueueRow, CaseStatus } from '@onething/shared/cases';
import { useSession } from '../../features/identity/api';
import { identifiersKeys } from '../../features/identifiers/keys';
import { api } from '../../lib/api';
import { Countdown, yearsOf } from './Countdown';
import { FilterSelect, QueuePager, QueueTable, queueTotal, type QueueColumn, type QueueSelection } from './QueueTable';
import { QUEUE_PAGE_SIZE } from '../../lib/first-load/early';
import { lazyAntd } from '../../lib/first-load/antd';
import './staff.css';

const loadExtras = () => import('./QueueExtras');
const BulkBar = lazyAntd(() => loadExtras().then((m) => ({ default: m.BulkBar })));
const BulkResultAlert = lazyAntd(() => loadExtras().then((m) => ({ default: m.BulkResultAlert })));
const ProblemAlert = lazyAntd(() => loadExtras().then((m) => ({ default: m.ProblemAlert })));

const STATUSES: CaseStatus[] = ['pending', 'accepted', 'reviewing', 'awaiting_correction', 'decided', 'waiting'];

export default function QueuePage() {
  const { t } = useTranslation();
  const lang = useLang();
  const [filter, setFilter] = useState<QueueFilter>({ page: 1, pageSize: QUEUE_PAGE_SIZE });
  const queue = useQueue(filter);
  const items = useItemNames();
  const bundles = useBundles({ limit: 100 });
  const today = todayInChina();
  const rows = useMemo(() => queue.data?.rows ?? [], [queue.data]);
  const { calendar } = useWorkCalendar(
    yearsOf(
      today,
      rows.map((r) => r.dueDate),
    ),
  );
  const bundleName = useMemo(() => new Map((bundles.data?.items ?? []).map((b) => [b.code, b.name])), [bundles.data]);
  const set = (patch: Partial<QueueFilter>) => setFilter((f) => ({ ...f, ...patch, page: 1 }));
  const session = useSession();
  const jurisdiction = session.data?.regionCode ?? null;
  // The districts of the reviewer's jurisdiction (a city department's 区县), to narrow the queue to one.
  const districts = useQuery({
    queryKey: identifiersKeys.divisions(jurisdiction),
    queryFn: () => api<DivisionListItem[]>(`/api/v1/divisions?parent=${jurisdiction}`),
    enabled: !!jurisdiction && /^\d{6}$/.test(jurisdiction),
    staleTime: 60 * 60_000,
  });
  const [selected, setSelected] = useState<Map<string, CaseQueueRow>>(new Map());
  const bulk = useBulkAction();
  const [bulkResult, setBulkResult] = useState<{ action: BulkAction; result: BulkResult } | null>(null);
  const runBulk = (action: BulkAction) => {
    const targets = [...selected.values()].filter((r) => r.status === BULK_ACTIONS[action]);
    setBulkResult(null);
    bulk.mutate(
      { action, rows: targets },
      {
        onSuccess: (result) => {
          setBulkResult({ action, result });
          // What failed is listed in the result; the selection starts afresh from the queue as it now is.
          setSelected(new Map());
        },
      },
    );
  };
  const countFor = (action: BulkAction) =>
    [...selected.values()].filter((r) => r.status === BULK_ACTIONS[action]).length;
  // Once the queue is on screen, fetch the bulk bar's code, so that choosing a case shows it at once.
  useEffect(() => void loadExtras().catch(() => undefined), []);

  // Memoised, like the row selection below: each query that resolves (session, names, calendar,
  // notifications) re-renders the page.
  const columns = useMemo<Array<QueueColumn<CaseQueueRow>>>(
    () => [
      {
        key: 'item',
        title: t('staff.queue.item'),
        cell: (r) => (
          <Link to={`/staff/cases/${r.id}`} data-testid={`open-${r.itemCode}`}>
            {pick(items.data?.get(r.itemCode), lang) || r.itemCode}
          </Link>
        ),
      },
      {
        key: 'number',
        title: t('staff.queue.application'),
        cell: (r) => <span className="mono">{r.applicationNumber}</span>,
      },
      {
        key: 'bundle',
        title: t('staff.queue.bundle'),
        cell: (r) => pick(bundleName.get(r.bundleCode), lang) || r.bundleCode,
      },
      { key: 'status', title: t('staff.queue.status'), cell: (r) => <StatusTag status={r.status} /> },
      { key: 'received', title: t('staff.queue.received'), cell: (r) => r.receivedOn ?? '—', className: 'nowrap' },
      { key: 'due', title: t('staff.queue.due'), cell: (r) => r.dueDate ?? '—', className: 'nowrap' },
      {
        key: 'left',
        title: t('staff.queue.left'),
        cell: (r) => (
          <span className="queue-flags">
            <Countdown due={r.dueDate} today={today} calendar={calendar} paused={r.status === 'awaiting_correction'} />
            {r.overdue && <span className="status-tag tone-bad">{t('staff.flag.overdue')}</span>}
            {!r.overdue && r.nearDue && <span className="status-tag tone-warn">{t('staff.flag.nearDue')}</span>}
            {r.gapStatus && <span className="status-tag tone-neutral">{t('staff.flag.gap')}</span>}
          </span>
        ),
      },
    ],
    [t, lang, items.data, bundleName, today, calendar],
  );

  const total = queue.data?.total ?? 0;
  const more = queue.data?.more ?? false;
  const selection = useMemo<QueueSelection<CaseQueueRow>>(
    () => ({
      selected,
      // Only cases a bulk action can move: 受理 for those waiting, 审查 for those accepted.
      selectable: (r) => Object.values(BULK_ACTIONS).includes(r.status as 'pending' | 'accepted'),
      label: (r) => t('staff.bulk.select', { number: r.applicationNumber }),
      // The choice on this page replaces this page's part of the selection; other pages' stay chosen.
      onChange: (chosen) =>
        setSelected((m) => {
          const next = new Map([...m].filter(([id]) => !rows.some((r) => r.id === id)));
          for (const r of chosen) next.set(r.id, r);
          return next;
        }),
    }),
    [selected, rows, t],
  );

  return (
    <div className="staff-page">
      <h1 className="staff-title">{t('staff.queue.title')}</h1>
      <p className="muted staff-intro">{t('staff.queue.intro')}</p>
      {queue.data && (
        <p className="staff-queue-total" data-testid="queue-total">
          {queueTotal(t, total, more)}
        </p>
      )}
      <div className="staff-filters">
        <FilterSelect<CaseStatus | ''>
          label={t('staff.queue.filterStatus')}
          width={180}
          value={filter.status ?? ''}
          onChange={(v) => set({ status: v || undefined })}
          options={[
            { value: '', label: t('staff.queue.all') },
            ...STATUSES.map((s) => ({ value: s, label: t(`caseStatus.${s}`) })),
          ]}
        />
        <FilterSelect<'' | 'today' | 'near_due' | 'overdue'>
          label={t('staff.queue.filterDue')}
          width={200}
          value={filter.flag ?? (filter.dueBefore ? 'today' : '')}
          onChange={(v) =>
            set(v === 'today' ? { flag: undefined, dueBefore: today } : { flag: v || undefined, dueBefore: undefined })
          }
          options={[
            { value: '', label: t('staff.queue.all') },
            { value: 'today', label: t('staff.queue.dueToday') },
            { value: 'near_due', label: t('staff.flag.nearDue') },
            { value: 'overdue', label: t('staff.flag.overdue') },
          ]}
        />
        <FilterSelect<string>
          label={t('staff.queue.filterBundle')}
          width={240}
          value={filter.bundle ?? ''}
          onChange={(v) => set({ bundle: v || undefined })}
          options={[
            { value: '', label: t('staff.queue.all') },
            ...(bundles.data?.items ?? []).map((b) => ({ value: b.code, label: pick(b.name, lang) })),
          ]}
        />
        {(districts.data?.length ?? 0) > 0 && (
          <FilterSelect<string>
            label={t('staff.queue.filterRegion')}
            width={160}
            value={filter.region ?? ''}
            onChange={(v) => set({ region: v || undefined })}
            options={[
              { value: '', label: t('staff.queue.all') },
              ...(districts.data ?? []).map((d) => ({ value: d.code, label: d.name })),
            ]}
          />
        )}
      </div>
      <Suspense fallback={null}>
        {selected.size > 0 && (
          <BulkBar
            selected={selected.size}
            countFor={countFor}
            running={bulk.isPending ? (bulk.variables?.action ?? null) : null}
            onRun={runBulk}
            onClear={() => setSelected(new Map())}
          />
        )}
        {bulkResult && (
          <BulkResultAlert
            action={bulkResult.action}
            result={bulkResult.result}
            itemName={(row) => pick(items.data?.get(row.itemCode), lang) || row.itemCode}
            onClose={() => setBulkResult(null)}
          />
        )}
        {!!bulk.error && <ProblemAlert error={bulk.error} />}
        {!!queue.error && <ProblemAlert error={queue.error} />}
      </Suspense>
      <QueueTable<CaseQueueRow>
        caption={t('staff.queue.title')}
        rows={rows}
        rowKey={(r) => r.id}
        rowClass={(r) => (r.overdue ? 'row-overdue' : r.nearDue ? 'row-near-due' : '')}
        columns={columns}
        selection={selection}
        loading={queue.isFetching}
        empty={t('staff.queue.empty')}
      />
      {total > 0 && (
        <QueuePager
          page={filter.page}
          pageSize={filter.pageSize}
          total={total}
          more={more}
          sizes={[20, 50, 100]}
          onChange={(page, pageSize) =>
            setFilter((f) => ({ ...f, page: pageSize === f.pageSize ? page : 1, pageSize }))
          }
        />
      )}
    </div>
  );
}
