// The administration console: a menu of its sections, each its own page under /admin. Everything goes through
// the API routes the server already has (identity, SSO clients, catalogue and calendar administration) and the
// statistics.
import { lazy, Suspense } from 'react';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import { useTranslation } from 'react-i18next';
import './admin.css';
import { PageSpinner } from '../../app/PageSpinner';

const PeoplePage = lazy(() => import('./PeoplePage'));
const CataloguePage = lazy(() => import('./CataloguePage'));
const CalendarPage = lazy(() => import('./CalendarPage'));
const DashboardPage = lazy(() => import('./DashboardPage'));
const BundleDesigner = lazy(() => import('./BundleDesigner'));
const ItemEditor = lazy(() => import('./ItemEditor'));
const KeyItemsPage = lazy(() => import('./KeyItemsPage'));
const SsoClientsPage = lazy(() => import('./SsoClientsPage'));
const SearchTermsPage = lazy(() => import('./SearchTermsPage'));

export default function AdminHome() {
  const { t } = useTranslation();
  const sections = [
    { to: 'dashboard', label: t('admin.nav.dashboard') },
    { to: 'people', label: t('admin.nav.people') },
    { to: 'sso', label: t('admin.nav.sso') },
    { to: 'catalogue', label: t('admin.nav.catalogue') },
    { to: 'search-terms', label: t('admin.searchTerms.nav') },
    { to: 'key-items', label: t('admin.keyItems.nav') },
    { to: 'calendar', label: t('admin.nav.calendar') },
  ];
  return (
    <div className="admin-console">
      <nav className="admin-nav" aria-label={t('admin.title')}>
        <p className="admin-nav-title">{t('admin.title')}</p>
        <ul>
          {sections.map((s) => (
            <li key={s.to}>
              <NavLink to={`/admin/${s.to}`}>{s.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="admin-body">
        <Suspense fallback={<PageSpinner />}>
          <Routes>
            <Route index element={<Navigate to="catalogue" replace />} />
            <Route path="people" element={<PeoplePage />} />
            <Route path="sso" element={<SsoClientsPage />} />
            <Route path="catalogue" element={<CataloguePage />} />
            <Route path="catalogue/new" element={<BundleDesigner />} />
            <Route path="catalogue/design/:code" element={<BundleDesigner />} />
            <Route path="catalogue/items/new" element={<ItemEditor />} />
            <Route path="catalogue/items/:code" element={<ItemEditor />} />
            <Route path="search-terms" element={<SearchTermsPage />} />
            <Route path="key-items" element={<KeyItemsPage />} />
            <Route path="calendar" element={<CalendarPage />} />
            <Route path="dashboard" element={<DashboardPage />} />
          </Routes>
        </Suspense>
      </div>
    </div>
  );
}
