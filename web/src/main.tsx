// The portal's entry: i18n first (so the first paint is in the right language), then the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { i18nReady } from './i18n';
import { App } from './app/App';
import { firstPageReady } from './app/router';
import './styles.css';

// English is loaded first when it is the remembered choice (zh-CN is in the bundle: no wait). On the workbench
// the queue's code (preloaded by the page's inline script) is waited for too, so that the first render has it.
void Promise.all([i18nReady.catch(() => undefined), firstPageReady()]).finally(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
