// A page that failed to render (or a chunk that failed to load after a deployment) gets a way forward
// instead of a white screen.
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';

export function RouteError() {
  const { t } = useTranslation();
  return (
    <main id="main" className="main">
      <Result
        status="error"
        title={t('error.pageTitle')}
        subTitle={t('error.pageText')}
        extra={
          <Button type="primary" onClick={() => window.location.reload()}>
            {t('error.reload')}
          </Button>
        }
      />
    </main>
  );
}
