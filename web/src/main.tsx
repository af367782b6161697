// The portal's entry: i18n first (so the first paint is in the right language), then the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { i18nReady } from './i18n';
import { App } from './app/App';
import './styles.css';

// English is loaded first when it is the remembered choice (zh-CN is in the bundle: no wait).
void i18nReady.finally(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
