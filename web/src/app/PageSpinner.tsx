// The spinner shown while a page's code or its first data loads: plain HTML and CSS (styles.css .page-spin), as
// the shell is part of every page's first download and antd's Spin would bring its own code and styles into it.
import { useTranslation } from 'react-i18next';

export function PageSpinner() {
  const { t } = useTranslation();
  return (
    <div className="page-spin" role="status" aria-label={t('common.loading')}>
      <span className="page-spin-dot" aria-hidden="true" />
    </div>
  );
}
