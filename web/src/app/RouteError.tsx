// A page that failed to render (or a chunk that failed to load after a deployment) gets a way forward
// instead of a white screen. Plain HTML: it is part of the first download, and it must work when a chunk did not.
import { useTranslation } from 'react-i18next';

export function RouteError() {
  const { t } = useTranslation();
  return (
    <main id="main" className="main">
      <section className="route-error" role="alert">
        <span className="route-error-mark" aria-hidden="true">
          !
        </span>
        <h1>{t('error.pageTitle')}</h1>
        <p>{t('error.pageText')}</p>
        <button type="button" className="tool-button primary" onClick={() => window.location.reload()}>
          {t('error.reload')}
        </button>
      </section>
    </main>
  );
}
