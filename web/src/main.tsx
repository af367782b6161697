// A placeholder portal: the published one-thing bundles, read from the public catalogue API.
// The citizen portal and the staff workbench replace it in their own issues.
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { STAGE_NAMES, type I18nText, type Stage } from '@onething/shared/catalogue';
import './styles.css';

interface BundleSummary {
  code: string;
  version: number;
  name: I18nText;
  description: I18nText | null;
  stage: Stage;
  audience: 'person' | 'enterprise';
  itemCount: number;
  promisedDays: number | null;
}

type Lang = 'zh' | 'en';

const T = {
  zh: { title: '一件事', tagline: '高效办成一件事：一次告知、一表申请、一套材料、一次提交', person: '个人', enterprise: '企业', items: '个事项', days: '个工作日办结', api: '接口文档', loading: '加载中…', failed: '无法加载目录' },
  en: { title: 'OneThing', tagline: 'Get one thing done: told once, one form, one set of materials, submitted once', person: 'Individuals', enterprise: 'Enterprises', items: 'service items', days: 'working days', api: 'API documentation', loading: 'Loading…', failed: 'Could not load the catalogue' },
} as const;

function App() {
  const [lang, setLang] = useState<Lang>(navigator.language.startsWith('zh') ? 'zh' : 'en');
  const [bundles, setBundles] = useState<BundleSummary[] | null>(null);
  const [error, setError] = useState(false);
  const t = T[lang];

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = `${t.title} · ${lang === 'zh' ? 'OneThing' : '一件事'}`;
  }, [lang, t.title]);

  useEffect(() => {
    fetch('/api/v1/catalogue/bundles?limit=100')
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
      .then((d: { items: BundleSummary[] }) => setBundles(d.items))
      .catch(() => setError(true));
  }, []);

  const groups: Array<['person' | 'enterprise', BundleSummary[]]> = [
    ['person', (bundles ?? []).filter((b) => b.audience === 'person')],
    ['enterprise', (bundles ?? []).filter((b) => b.audience === 'enterprise')],
  ];

  return (
    <main>
      <header>
        <h1>{t.title}</h1>
        <p>{t.tagline}</p>
        <button type="button" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} aria-label={lang === 'zh' ? 'Switch to English' : '切换到中文'}>
          {lang === 'zh' ? 'English' : '中文'}
        </button>
      </header>
      {error && <p role="alert">{t.failed}</p>}
      {!bundles && !error && <p>{t.loading}</p>}
      {groups.map(([audience, list]) =>
        list.length ? (
          <section key={audience} aria-labelledby={`h-${audience}`}>
            <h2 id={`h-${audience}`}>{t[audience]}</h2>
            <ul className="bundles">
              {list.map((b) => (
                <li key={b.code}>
                  <span className="stage">{STAGE_NAMES[b.stage][lang]}</span>
                  <h3>{b.name[lang]}</h3>
                  {b.description && <p>{b.description[lang]}</p>}
                  <p className="meta">
                    {b.itemCount} {t.items}
                    {b.promisedDays !== null && ` · ${b.promisedDays} ${t.days}`}
                  </p>
                </li>
              ))}
            </ul>
          </section>
        ) : null,
      )}
      <footer>
        <a href="/api/docs">{t.api}</a>
      </footer>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
