// The inbox: every change to my applications, newest first; opening one marks it read.
import { useNavigate } from 'react-router';
import { Button, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useLang } from '../../lib/preferences';
import { pick, type Lang, type LocalText } from '../../lib/text';
import { ProblemAlert } from '../../app/ProblemAlert';
import type { Notification } from '@onething/shared/notifications';
import { useMarkRead, useNotifications } from '../../features/notifications/api';
import { useItemNames } from '../../features/catalogue/api';

/** One line for a notification, in the user's language (the payload carries codes and dates, not text). */
export function describe(n: Notification, t: TFunction, itemName: (code: string) => string): string {
  const number = 'applicationNumber' in n.payload ? n.payload.applicationNumber : '';
  if (n.kind === 'application.submitted')
    return t('notice.submitted', { number, count: n.payload.items, date: n.payload.promisedDate });
  if (n.kind === 'application.completed') return t('notice.completed', { number });
  if (n.kind === 'proxy.consent_code') return t('notice.consentCode', { code: n.payload.code });
  if (n.kind === 'application.withdrawn') return t('notice.withdrawn', { number });
  if (n.kind === 'identity.registration_attempt')
    return t('notice.registrationAttempt', { at: n.payload.at.slice(0, 10) });
  if (n.kind === 'identity.proofing_code') return t('notice.proofingCode');
  const action = n.kind.startsWith('case.') ? n.kind.slice(5) : n.kind;
  const p = n.payload;
  const item = 'item' in p && p.item ? itemName(p.item) : '';
  const base = t(`notice.case.${action}`, { item, number, defaultValue: t('notice.case.other', { item, number }) });
  if (action === 'request_correction' && 'problems' in p && p.problems?.length)
    return `${base} ${t('notice.problems', { count: p.problems.length })}`;
  if ('dueDate' in p && p.dueDate && ['accept', 'accept_with_gap', 'supply_correction'].includes(action))
    return `${base} ${t('notice.due', { date: p.dueDate })}`;
  return base;
}

export default function NotificationsPage() {
  const { t } = useTranslation();
  const lang: Lang = useLang();
  const navigate = useNavigate();
  const list = useNotifications();
  const read = useMarkRead();
  const names = useItemNames();
  const itemName = (code: string) => pick(names.data?.get(code) as LocalText | undefined, lang) || code;

  const open = (n: Notification) => {
    if (!n.readAt) read.mutate(n.id);
    if (n.applicationId) navigate(`/applications/${n.applicationId}`);
  };

  return (
    <div>
      <h1 className="page-title">{t('notifications.title')}</h1>
      {list.error && <ProblemAlert error={list.error} />}
      {list.isPending ? (
        <Skeleton active />
      ) : (list.data ?? []).length === 0 ? (
        <p className="muted-text">{t('notifications.none')}</p>
      ) : (
        <ul className="row-list notifications">
          {list.data!.map((n) => (
            <li key={n.id} className={`row${n.readAt ? '' : ' unread'}`}>
              <div>
                {!n.readAt && <span className="unread-dot">{t('notifications.unread')}</span>}
                <span className="notice-text">{describe(n, t, itemName)}</span>
                <div className="hint">
                  {'applicationNumber' in n.payload &&
                    n.payload.applicationNumber &&
                    `${t('receipt.number')} ${n.payload.applicationNumber} · `}
                  <time dateTime={n.createdAt}>
                    {new Date(n.createdAt).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN')}
                  </time>
                </div>
              </div>
              {n.applicationId && (
                <Button size="small" onClick={() => open(n)}>
                  {t('notifications.open')}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
