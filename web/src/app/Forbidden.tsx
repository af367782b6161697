import { Result } from 'antd';
import { useTranslation } from 'react-i18next';

export default function Forbidden() {
  const { t } = useTranslation();
  return (
    <Result
      status="403"
      title={<h1 className="result-title">{t('auth.forbiddenTitle')}</h1>}
      subTitle={t('auth.forbiddenText')}
    />
  );
}
