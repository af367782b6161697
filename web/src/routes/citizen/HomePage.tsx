// The home page: search, entries by life event and by business stage, the published one-things, and — for
// a signed-in applicant — the things waiting for them. Kept light: it is the portal's first download, so
// it uses plain HTML controls rather than antd's.
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useLang } from '../../lib/preferences';
import { pick } from '../../lib/text';
import { ENTERPRISE_STAGES, PERSON_STAGES, type BundleSummary } from '@onething/shared/catalogue';
import { useBundles } from '../../features/catalogue/api';
import { useSession } from '../../features/identity/api';
import { PendingThings } from './PendingThings';

export function BundleCard({
  b,
  headingLevel = 3,
  matched,
}: {
  b: BundleSummary;
  headingLevel?: 2 | 3;
  /** The words that found it (search results only). */
  matched?: string[] | undefined;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const H = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <li className="bundle-card">
      <span className="stage-chip">{t(`stage.${b.stage}`)}</span>
      <H className="bundle-name">
        <Link to={`/bundles/${b.code}`}>{pick(b.name, lang)}</Link>
      </H>
      {b.description && <p className="bundle-desc">{pick(b.description, lang)}</p>}
      <p className="bundle-meta">
        {t('bundle.itemCount', { count: b.itemCount })}
        {b.promisedDays !== null && ` · ${t('bundle.promisedDays', { count: b.promisedDays })}`}
      </p>
      {matched && matched.length > 0 && (
        <p className="bundle-matched">
          {t('search.matched', {
            words: matched.slice(0, 6).join(lang === 'en' ? ', ' : '、'),
          })}
        </p>
      )}
    </li>
  );
}

export default function HomePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const bundles = useBundles({});
  const session = useSession();
  const signedIn = !!session.data;

  const search = (e: FormEvent) => {
    e.preventDefault();
    navigate(q.trim() ? `/services?q=${encodeURIComponent(q.trim())}` : '/services');
  };

  return (
    <div className="home">
      <section className="hero" aria-labelledby="home-title">
        <h1 id="home-title">{t('home.title')}</h1>
        <p className="hero-tagline">{t('home.tagline')}</p>
        <form role="search" className="search" onSubmit={search}>
          <label htmlFor="home-search" className="visually-hidden">
            {t('home.searchLabel')}
          </label>
          <input
            id="home-search"
            type="search"
            className="search-input"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder={t('home.searchPlaceholder')}
          />
          <button type="submit" className="search-button">
            {t('home.search')}
          </button>
        </form>
      </section>

      <div className="home-grid">
        <section aria-labelledby="life-title" className="panel">
          <h2 id="life-title">{t('home.byLifeEvent')}</h2>
          <ul className="stage-list">
            {PERSON_STAGES.map((s) => (
              <li key={s}>
                <Link to={`/services?stage=${s}`}>{t(`stage.${s}`)}</Link>
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="biz-title" className="panel">
          <h2 id="biz-title">{t('home.byBusinessStage')}</h2>
          <ul className="stage-list">
            {ENTERPRISE_STAGES.map((s) => (
              <li key={s}>
                <Link to={`/services?stage=${s}`}>{t(`stage.${s}`)}</Link>
              </li>
            ))}
          </ul>
        </section>
      </div>

      <section aria-labelledby="pending-title" className="panel">
        <h2 id="pending-title">{t('home.myPending')}</h2>
        {signedIn ? (
          <PendingThings enabled />
        ) : (
          <p>
            {t('home.loginForPending')} <Link to="/login?next=%2F">{t('nav.login')}</Link>
          </p>
        )}
      </section>

      <section aria-labelledby="popular-title">
        <h2 id="popular-title">{t('home.popular')}</h2>
        {bundles.isPending && <p>{t('common.loading')}</p>}
        {bundles.error && <p role="alert">{t('home.catalogueFailed')}</p>}
        <ul className="bundle-grid">
          {(bundles.data?.items ?? []).map((b) => (
            <BundleCard key={b.code} b={b} />
          ))}
        </ul>
      </section>
    </div>
  );
}
