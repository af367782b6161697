// "My pending things": drafts to resume and applications waiting for me (a 补正 notice to answer, a 容缺
// material to supply). Applications in progress are read in full to find those cases.
import { Link } from 'react-router';
import { useQueries } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api';
import { useLang } from '../../lib/preferences';
import { pick } from '../../lib/text';
import type { ApplicationView } from '@onething/shared/applications';
import { useApplications, useDrafts } from '../../features/applications/api';
import { useBundles } from '../../features/catalogue/api';
import { applicationsKeys } from '../../features/applications/keys';

export function usePendingThings(enabled: boolean) {
  const drafts = useDrafts(enabled);
  const apps = useApplications(enabled);
  const open = (apps.data ?? []).filter((a) => a.status === 'in_progress').slice(0, 20);
  const details = useQueries({
    queries: open.map((a) => ({
      queryKey: applicationsKeys.application(a.id),
      queryFn: () => api<ApplicationView>(`/api/v1/applications/${a.id}`),
    })),
  });
  const needsMe = details
    .map((d) => d.data)
    .filter((a): a is ApplicationView => !!a)
    .map((a) => ({
      app: a,
      cases: a.cases.filter(
        (c) =>
          c.status === 'awaiting_correction' ||
          (c.toleratedGap && (c.toleratedGap.status === 'open' || c.toleratedGap.status === 'overdue')),
      ),
    }))
    .filter((x) => x.cases.length > 0);
  return { drafts, apps, needsMe, isPending: drafts.isPending || apps.isPending };
}

/** `drafts: false` where the page lists the drafts on its own (my applications). */
export function PendingThings({ enabled, drafts: showDrafts = true }: { enabled: boolean; drafts?: boolean }) {
  const { t } = useTranslation();
  const lang = useLang();
  const bundles = useBundles({});
  const { drafts, needsMe, isPending } = usePendingThings(enabled);
  const nameOf = (code: string) => pick(bundles.data?.items.find((b) => b.code === code)?.name, lang) || code;
  if (isPending) return <p>{t('common.loading')}</p>;
  const draftList = showDrafts ? (drafts.data ?? []) : [];
  if (draftList.length === 0 && needsMe.length === 0) return <p className="muted-text">{t('pending.none')}</p>;
  return (
    <ul className="pending-list">
      {needsMe.map(({ app, cases }) => (
        <li key={app.id} className="pending-item attention">
          <Link to={`/applications/${app.id}`}>
            {t('pending.needsYou', { bundle: nameOf(app.bundle.code), number: app.number })}
          </Link>
          <span className="pending-meta">
            {cases.some((c) => c.status === 'awaiting_correction') ? t('pending.correction') : t('pending.gap')}
          </span>
        </li>
      ))}
      {draftList.map((d) => (
        <li key={d.id} className="pending-item">
          <Link to={`/bundles/${d.bundle.code}/apply?draft=${d.id}`}>
            {t('pending.draft', { bundle: nameOf(d.bundle.code) })}
          </Link>
          <span className="pending-meta">
            {t('pending.savedAt', { when: new Date(d.updatedAt).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN') })}
          </span>
        </li>
      ))}
    </ul>
  );
}
