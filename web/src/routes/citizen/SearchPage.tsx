// Search results and stage listings: /services?q=… or /services?stage=…
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Button, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Stage } from '@onething/shared/catalogue';
import { useBundles } from '../../features/catalogue/api';
import { BundleCard } from './HomePage';

export default function SearchPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const q = params.get('q') ?? '';
  const stage = (params.get('stage') ?? '') as Stage | '';
  const [text, setText] = useState(q);
  const bundles = useBundles({ ...(q ? { q } : {}), ...(stage ? { stage } : {}) });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate(text.trim() ? `/services?q=${encodeURIComponent(text.trim())}` : '/services');
  };
  const title = stage
    ? t('search.stageTitle', { stage: t(`stage.${stage}`) })
    : q
      ? t('search.resultsFor', { q })
      : t('search.all');

  return (
    <div>
      <h1 className="page-title">{title}</h1>
      <form role="search" className="search compact" onSubmit={submit}>
        <label htmlFor="search-input" className="visually-hidden">
          {t('home.searchLabel')}
        </label>
        <Input
          id="search-input"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('home.searchPlaceholder')}
          allowClear
        />
        <Button type="primary" htmlType="submit">
          {t('home.search')}
        </Button>
      </form>
      {bundles.isPending ? (
        <p>{t('common.loading')}</p>
      ) : (bundles.data?.items.length ?? 0) === 0 ? (
        <div className="search-none" role="status">
          <p>{stage && !q ? t('search.stageNone', { stage: t(`stage.${stage}`) }) : t('search.none')}</p>
          <p>{t('search.noneHelp')}</p>
          <ul>
            <li>{t('search.tryWords')}</li>
            <li>
              <Link to="/services">{t('search.seeAll')}</Link>
            </li>
            <li>{t('search.callHotline')}</li>
          </ul>
        </div>
      ) : (
        <>
          <p aria-live="polite">{t('search.count', { count: bundles.data?.total ?? 0 })}</p>
          <ul className="bundle-grid">
            {bundles.data?.items.map((b) => (
              <BundleCard key={b.code} b={b} headingLevel={2} matched={bundles.data?.matched?.[b.code]} />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
