import { Result } from 'antd';
import { useTranslation } from 'react-i18next';

export default function AdminHome() {
  const { t } = useTranslation();
  return <Result status="info" title={<h1 className="result-title">{t('admin.title')}</h1>} subTitle={t('common.comingSoon')} />;
}
