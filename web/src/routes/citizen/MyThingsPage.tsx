// 我的办件: what waits for me, drafts to resume (on any device), and every application with its status.
import { Link } from 'react-router';
import { Button, Popconfirm, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLang } from '../../lib/preferences';
import { pick } from '../../lib/text';
import { ProblemAlert } from '../../app/ProblemAlert';
import { StatusTag } from '../../components/StatusTag';
import { useApplications, useDeleteDraft, useDrafts } from '../../features/applications/api';
import { useBundles } from '../../features/catalogue/api';
import { PendingThings } from './PendingThings';

export default function MyThingsPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const apps = useApplications();
  const drafts = useDrafts();
  const remove = useDeleteDraft();
  const bundles = useBundles({});
  const nameOf = (code: string) => pick(bundles.data?.items.find((b) => b.code === code)?.name, lang) || code;
  const when = (iso: string) => new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN');

  return (
    <div className="my-things">
      <h1 className="page-title">{t('my.title')}</h1>
      <section className="panel" aria-labelledby="my-pending">
        <h2 id="my-pending">{t('home.myPending')}</h2>
        <PendingThings enabled drafts={false} />
      </section>

      <section className="panel" aria-labelledby="my-drafts">
        <h2 id="my-drafts">{t('my.drafts')}</h2>
        {drafts.isPending ? (
          <Skeleton active paragraph={{ rows: 1 }} />
        ) : (drafts.data ?? []).length === 0 ? (
          <p className="muted-text">{t('my.noDrafts')}</p>
        ) : (
          <ul className="row-list">
            {drafts.data!.map((d) => (
              <li key={d.id} className="row">
                <div>
                  <Link to={`/bundles/${d.bundle.code}/apply?draft=${d.id}`}>{nameOf(d.bundle.code)}</Link>
                  <div className="hint">{t('pending.savedAt', { when: when(d.updatedAt) })}</div>
                </div>
                <Popconfirm
                  title={t('my.deleteDraftConfirm')}
                  okText={t('common.delete')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => remove.mutate(d.id)}
                >
                  <Button size="small" danger aria-label={t('my.deleteDraftOf', { bundle: nameOf(d.bundle.code) })}>
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="panel" aria-labelledby="my-apps">
        <h2 id="my-apps">{t('my.applications')}</h2>
        {apps.error && <ProblemAlert error={apps.error} />}
        {apps.isPending ? (
          <Skeleton active />
        ) : (apps.data ?? []).length === 0 ? (
          <p className="muted-text">
            {t('my.noApplications')} <Link to="/services">{t('search.all')}</Link>
          </p>
        ) : (
          <ul className="row-list">
            {apps.data!.map((a) => (
              <li key={a.id} className="row" data-testid={`app-${a.number}`}>
                <div>
                  <Link to={`/applications/${a.id}`}>{nameOf(a.bundle.code)}</Link>
                  <div className="hint">
                    {t('receipt.number')} {a.number} · {t('application.submittedOn')} {a.submittedOn}
                    {a.promisedDate && ` · ${t('application.promisedDate')} ${a.promisedDate}`}
                  </div>
                </div>
                <StatusTag status={a.status} kind="application" />
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
