import fs from 'node:fs';
import { defineConfig, transformWithOxc, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Puts src/app/early.ts into the page as an inline script that runs as soon as the HTML is parsed, before the
 * application's scripts have loaded, and starts the page's first API requests (see early.ts). It is injected
 * after Vite's own HTML processing, so that it stays out of the application bundle (Vite would merge it into the
 * entry, which runs only after every import has been evaluated).
 */
function earlyRequests(): Plugin {
  const file = new URL('./src/app/early.ts', import.meta.url);
  return {
    name: 'onething-early-requests',
    transformIndexHtml: {
      order: 'post',
      async handler(html) {
        const { code } = await transformWithOxc(fs.readFileSync(file, 'utf8'), 'early.ts', { lang: 'ts' });
        // A classic script, run while the page is parsed (an inline module would wait for the parse to end and
        // then for its turn among the module scripts); the exports become locals of a function.
        const body = code.replace(/^export /gm, '');
        const script = `<script>\n(function () {\n${body}\nstartEarlyRequests(location.pathname);\n})();\n</script>\n`;
        const at = html.search(/<script type="module"[^>]*\ssrc=/);
        if (at < 0) throw new Error('earlyRequests: no module script in index.html');
        return html.slice(0, at) + script + '    ' + html.slice(at);
      },
    },
  };
}

// In development Vite serves the app on :5173 and forwards the API to the server on :3000 (or ONETHING_API).
// changeOrigin stays false: the server compares Origin with Host on logins and cookie writes (CSRF), so the
// browser's Host must arrive unchanged. The manifest lets scripts/check-bundle-size.mjs find what the home
// page loads first. The page's first API requests start from an inline script (earlyRequests below).
const target = process.env.ONETHING_API ?? 'http://127.0.0.1:3000';
const proxy = { '/api': { target, changeOrigin: false }, '/healthz': { target, changeOrigin: false } };

export default defineConfig({
  plugins: [react(), earlyRequests()],
  server: { port: 5173, proxy },
  preview: { port: 4173, proxy },
  build: { outDir: 'dist', emptyOutDir: true, manifest: true, chunkSizeWarningLimit: 900 },
});
