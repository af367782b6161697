import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { defaultClientConditions, defineConfig, transformWithOxc, type Plugin, type Rolldown } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Puts src/lib/first-load/early.ts into the page as an inline script that runs as soon as the HTML is parsed, before
 * the application's scripts have loaded, and starts the page's first API requests (see early.ts). It is injected
 * after Vite's own HTML processing, so that it stays out of the application bundle (Vite would merge it into the
 * entry, which runs only after every import has been evaluated). In a build it also hands the script the module
 * files of the pages in ROUTE_MODULES (the lazy chunk and every chunk it imports), to preload on those addresses.
 */
const ROUTE_MODULES: Record<string, string> = { '/staff': 'src/routes/staff/QueuePage.tsx' };

function earlyRequests(): Plugin {
  const file = new URL('./src/lib/first-load/early.ts', import.meta.url);
  return {
    name: 'onething-early-requests',
    transformIndexHtml: {
      order: 'post',
      async handler(html, ctx) {
        const { code } = await transformWithOxc(fs.readFileSync(file, 'utf8'), 'early.ts', { lang: 'ts' });
        // A classic script, run while the page is parsed (an inline module would wait for the parse to end and
        // then for its turn among the module scripts); the exports become locals of a function.
        const body = code.replace(/^export /gm, '');
        const modules = ctx.bundle ? routeModules(ctx.bundle) : {};
        const script = `<script>\n(function () {\n${body}\nstartEarlyRequests(location.pathname);\npreloadRouteModules(location.pathname, ${JSON.stringify(modules)});\n})();\n</script>\n`;
        const at = html.search(/<script type="module"[^>]*\ssrc=/);
        if (at < 0) throw new Error('earlyRequests: no module script in index.html');
        return `${html.slice(0, at) + script}    ${html.slice(at)}`;
      },
    },
  };
}

/** For each path of ROUTE_MODULES, its page's chunk and the chunks that one imports (outside the entry's), with their CSS. */
function routeModules(bundle: Rolldown.OutputBundle): Record<string, { js: string[]; css: string[] }> {
  const chunks = Object.values(bundle).filter((c): c is Rolldown.OutputChunk => c.type === 'chunk');
  const byFile = new Map(chunks.map((c) => [c.fileName, c]));
  const initial = new Set<string>();
  const walk = (file: string, into: Set<string>) => {
    if (into.has(file)) return;
    into.add(file);
    for (const dep of byFile.get(file)?.imports ?? []) walk(dep, into);
  };
  for (const c of chunks) if (c.isEntry) walk(c.fileName, initial);
  const out: Record<string, { js: string[]; css: string[] }> = {};
  for (const [route, source] of Object.entries(ROUTE_MODULES)) {
    const page = chunks.find((c) => c.moduleIds.some((id) => id.replaceAll('\\', '/').endsWith(source)));
    if (!page) throw new Error(`earlyRequests: no chunk for ${source} (ROUTE_MODULES in vite.config.ts)`);
    const files = new Set<string>();
    walk(page.fileName, files);
    const js = [...files].filter((f) => !initial.has(f));
    const css = new Set(js.flatMap((f) => [...(byFile.get(f)?.viteMetadata?.importedCss ?? [])]));
    out[route] = { js: js.map((f) => `/${f}`), css: [...css].map((f) => `/${f}`) };
  }
  return out;
}

/**
 * The page modules of ROUTE_MODULES with the project's modules they import statically, by module id, as the name of the chunk
 * they go into ('route-staff' for '/staff'): known at the end of the build phase (buildEnd), read when the chunks
 * are made. One file per such page instead of several small ones (its own, the API client of its feature, the
 * countdown...), each waiting for one of the browser's six connections behind the page's early API calls. What the
 * entry imports stays in the entry's file (the 'initial' group comes first).
 */
const routeChunkOf = new Map<string, string>();

function routeChunks(): Plugin {
  return {
    name: 'onething-route-chunks',
    apply: 'build',
    buildEnd() {
      routeChunkOf.clear();
      const ids = [...this.getModuleIds()];
      for (const [route, source] of Object.entries(ROUTE_MODULES)) {
        const root = ids.find((id) => id.replaceAll('\\', '/').endsWith(source));
        if (!root) throw new Error(`routeChunks: no module ${source} (ROUTE_MODULES in vite.config.ts)`);
        const name = `route${route.replaceAll('/', '-')}`;
        // The project's own modules only: a library's (antd's index) would pull in all it re-exports.
        const walk = (id: string) => {
          if (routeChunkOf.has(id) || id.includes('node_modules') || id.startsWith('\0')) return;
          routeChunkOf.set(id, name);
          for (const dep of this.getModuleInfo(id)?.importedIds ?? []) walk(dep);
        };
        walk(root);
      }
    },
  };
}

/**
 * Writes a brotli (.br) and a gzip (.gz) copy beside each text file of the build over 1 KB, which the server sends to
 * a browser that accepts them (@fastify/static's preCompressed): the entry script is some 680 KB as built and
 * about 190 KB in brotli, so it arrives sooner on a real network and in fewer pieces from a busy server. Compressed
 * once here at the highest levels, not again on every request.
 */
function compressAssets(): Plugin {
  let outDir = 'dist';
  return {
    name: 'onething-compress-assets',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    writeBundle() {
      const walk = (dir: string): string[] =>
        fs
          .readdirSync(dir, { withFileTypes: true })
          .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
      for (const file of walk(outDir)) {
        if (!/\.(js|mjs|css|html|svg|json|txt|webmanifest)$/.test(file)) continue;
        const data = fs.readFileSync(file);
        if (data.length < 1024) continue;
        const br = zlib.brotliCompressSync(data, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
            [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
          },
        });
        fs.writeFileSync(`${file}.br`, br);
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
      }
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
  plugins: [react(), earlyRequests(), routeChunks(), compressAssets()],
  // "onething-source": @onething/shared's TypeScript (its package.json exports), bundled from src/ rather than its dist/.
  resolve: { conditions: ['onething-source', ...defaultClientConditions] },
  server: { port: 5173, proxy },
  preview: { port: 4173, proxy },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    chunkSizeWarningLimit: 900,
    // Everything the entry imports statically in one file: the browser's six connections to the server were
    // taken by some twenty small files, and the page's first API calls waited behind them (docs/benchmarks.md).
    // The lazy pages stay chunks of their own.
    // A page of ROUTE_MODULES is one file with what it imports (routeChunks).
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'initial', tags: ['$initial'], priority: 2 },
            { name: (id) => routeChunkOf.get(id) ?? null, debugName: 'route pages', priority: 1 },
          ],
        },
      },
    },
  },
});
