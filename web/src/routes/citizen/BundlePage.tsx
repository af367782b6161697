// A bundle's service guide: what it covers, which departments, the one-time notice of conditions and
// materials, time limits in working days, fees and where to go offline — before anyone signs in.
import { useNavigate, useParams } from 'react-router';
import { Alert, Button, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLang } from '../../lib/preferences';
import { pick } from '../../lib/text';
import { ProblemAlert } from '../../app/ProblemAlert';
import { useBundle, useDepartments, useItems } from '../../features/catalogue/api';

export default function BundlePage() {
  const { code } = useParams();
  const { t } = useTranslation();
  const lang = useLang();
  const navigate = useNavigate();
  const bundle = useBundle(code);
  const departments = useDepartments();
  const items = useItems(bundle.data?.items);

  if (bundle.isPending) return <Skeleton active />;
  if (bundle.error) return <ProblemAlert error={bundle.error} />;
  const b = bundle.data;
  const c = b.content;
  const deptName = (d: string) => pick(departments.data?.get(d)?.name, lang) || d;
  const deptCodes = [...new Set(b.items.map((i) => i.departmentCode))];
  const details = new Map(
    items
      .map((q) => q.data)
      .filter((x) => !!x)
      .map((x) => [x.code, x.content]),
  );
  const charged = [...details.values()].filter((i) => i.fee.charged);
  const offline = [
    ...new Set(
      [c.offline, ...[...details.values()].map((i) => i.offline)].filter((x) => !!x).map((x) => pick(x, lang)),
    ),
  ];

  return (
    <article className="bundle-page">
      <header className="page-header">
        <span className="stage-chip">{t(`stage.${c.stage}`)}</span>
        <h1 className="page-title">{pick(c.name, lang)}</h1>
        {c.description && <p className="lead">{pick(c.description, lang)}</p>}
        <dl className="facts">
          <div>
            <dt>{t('bundle.items')}</dt>
            <dd>{t('bundle.itemCount', { count: b.items.length })}</dd>
          </div>
          <div>
            <dt>{t('bundle.departments')}</dt>
            <dd>{t('bundle.departmentCount', { count: deptCodes.length })}</dd>
          </div>
          <div>
            <dt>{t('bundle.timeLimit')}</dt>
            <dd>
              {c.promisedDays !== undefined
                ? t('bundle.promisedDays', { count: c.promisedDays })
                : t('bundle.seeItems')}
            </dd>
          </div>
          <div>
            <dt>{t('bundle.fees')}</dt>
            <dd>
              {details.size < b.items.length
                ? '…'
                : charged.length === 0
                  ? t('bundle.free')
                  : t('bundle.someCharged', { count: charged.length })}
            </dd>
          </div>
        </dl>
        <Button type="primary" size="large" className="cta" onClick={() => navigate(`/bundles/${c.code}/apply`)}>
          {t('bundle.apply')}
        </Button>
      </header>

      <section aria-labelledby="items-title" className="panel">
        <h2 id="items-title">{t('bundle.whatItCovers')}</h2>
        <p className="muted-text">{t('bundle.itemsNarrowed')}</p>
        <ul className="item-list">
          {b.items.map((i) => {
            const d = details.get(i.code);
            return (
              <li key={i.code} className="item-row">
                <details>
                  <summary>
                    <span className="item-name">{pick(i.name, lang)}</span>
                    <span className="item-meta">
                      {deptName(i.departmentCode)} · {t('bundle.promisedDays', { count: i.promisedDays })}
                      {i.statutoryDays !== null && ` · ${t('bundle.statutoryDays', { count: i.statutoryDays })}`}
                    </span>
                  </summary>
                  {d ? (
                    <div className="item-details">
                      {d.description && <p>{pick(d.description, lang)}</p>}
                      {d.acceptanceConditions.length > 0 && (
                        <>
                          <h3>{t('bundle.conditions')}</h3>
                          <ul>
                            {d.acceptanceConditions.map((x, k) => (
                              <li key={k}>{pick(x, lang)}</li>
                            ))}
                          </ul>
                        </>
                      )}
                      <h3>{t('bundle.fees')}</h3>
                      <p>{d.fee.charged ? pick(d.fee.description, lang) || t('bundle.charged') : t('bundle.free')}</p>
                      {d.legalBasis.length > 0 && (
                        <>
                          <h3>{t('bundle.legalBasis')}</h3>
                          <ul>
                            {d.legalBasis.map((x, k) => (
                              <li key={k}>{pick(x, lang)}</li>
                            ))}
                          </ul>
                        </>
                      )}
                    </div>
                  ) : (
                    <Skeleton active paragraph={{ rows: 2 }} />
                  )}
                </details>
              </li>
            );
          })}
        </ul>
      </section>

      <section aria-labelledby="dept-title" className="panel">
        <h2 id="dept-title">{t('bundle.departments')}</h2>
        <ul className="plain-list">
          {deptCodes.map((d) => (
            <li key={d}>{deptName(d)}</li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="materials-title" className="panel">
        <h2 id="materials-title">{t('bundle.noticeTitle')}</h2>
        <p className="muted-text">{t('bundle.noticeText')}</p>
        <ul className="material-list">
          {c.materials.map((m) => (
            <li key={m.id}>
              <span>{pick(m.name, lang)}</span>
              {m.satisfiedBy && <span className="badge-ok">{t('materials.noUpload')}</span>}
            </li>
          ))}
        </ul>
      </section>

      {offline.length > 0 && (
        <section aria-labelledby="offline-title" className="panel">
          <h2 id="offline-title">{t('bundle.offline')}</h2>
          {offline.map((o, k) => (
            <p key={k}>{o}</p>
          ))}
        </section>
      )}
      {departments.error && <Alert type="warning" title={t('bundle.departmentsFailed')} />}
    </article>
  );
}
