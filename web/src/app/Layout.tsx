// The page frame every route shares: a skip link, the banner with navigation, language and elderly-mode
// toggles and the account menu, one <main> that takes focus after each navigation (so a screen reader
// announces the new page), and the footer. Plain HTML where antd would only add weight to the first load.
import { Suspense, useEffect, useRef, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageSpinner } from './PageSpinner';
import { usePreferences } from '../lib/preferences';
import { useLogout, useSession } from '../features/identity/api';
import { useUnreadCount } from '../features/notifications/api';
import { AccountMenu } from './AccountMenu';
import { lazyAntd } from '../lib/first-load/antd';

const ActAsDialog = lazyAntd(() => import('./ActAs'));

export function Layout() {
  const { t } = useTranslation();
  const { language, setLanguage, elderly, setElderly } = usePreferences();
  const session = useSession();
  const account = session.data ?? null;
  const unread = useUnreadCount(!!account);
  const logout = useLogout();
  const navigate = useNavigate();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  const [actAsOpen, setActAsOpen] = useState(false);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [location.pathname]);

  const onAccount = (key: 'me' | 'act' | 'staff' | 'admin' | 'logout') => {
    if (key === 'logout') logout.mutate(undefined, { onSettled: () => navigate('/') });
    else if (key === 'act') setActAsOpen(true);
    else navigate(`/${key}`);
  };
  const count = unread.data ?? 0;

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="banner">
        <div className="banner-inner">
          <Link to="/" className="brand">
            <span className="brand-mark" aria-hidden="true">
              一
            </span>
            <span className="brand-name">{t('app.name')}</span>
            <span className="visually-hidden">{t('nav.homeSuffix')}</span>
          </Link>
          <nav aria-label={t('nav.main')} className="main-nav">
            <NavLink to="/" end>
              {t('nav.home')}
            </NavLink>
            <NavLink to="/me">{t('nav.myThings')}</NavLink>
            <NavLink to="/notifications">
              {t('nav.notifications')}
              {count > 0 && (
                <span className="count-badge">
                  {count > 99 ? '99+' : count}
                  <span className="visually-hidden">{t('nav.unreadSuffix')}</span>
                </span>
              )}
            </NavLink>
          </nav>
          <div className="banner-tools">
            <button
              type="button"
              className="tool-button"
              lang={language === 'en' ? 'zh-CN' : 'en'}
              onClick={() => setLanguage(language === 'en' ? 'zh-CN' : 'en')}
            >
              {language === 'en' ? '中文' : 'English'}
            </button>
            <button
              type="button"
              className={`tool-button${elderly ? ' pressed' : ''}`}
              aria-pressed={elderly}
              onClick={() => setElderly(!elderly)}
            >
              {t('nav.elderly')}
            </button>
            {account ? (
              <AccountMenu account={account} onChoose={onAccount} />
            ) : (
              <button
                type="button"
                className="tool-button primary"
                onClick={() =>
                  navigate(
                    location.pathname === '/login'
                      ? `/login${location.search}`
                      : `/login?next=${encodeURIComponent(location.pathname + location.search)}`,
                  )
                }
              >
                {t('nav.login')}
              </button>
            )}
          </div>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1} className="main">
        <Suspense fallback={<PageSpinner />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="footer">
        <p>{t('footer.tagline')}</p>
        <p>
          {t('footer.hotline')} · <a href="/api/docs">{t('footer.api')}</a>
        </p>
      </footer>
      {account && actAsOpen && (
        <Suspense fallback={null}>
          <ActAsDialog account={account} onClose={() => setActAsOpen(false)} />
        </Suspense>
      )}
    </div>
  );
}
