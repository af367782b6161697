import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// In development Vite serves the app on :5173 and forwards the API to the server on :3000 (or ONETHING_API).
// changeOrigin stays false: the server compares Origin with Host on logins and cookie writes (CSRF), so the
// browser's Host must arrive unchanged. The manifest lets scripts/check-bundle-size.mjs find what the home
// page loads first.
const target = process.env.ONETHING_API ?? 'http://127.0.0.1:3000';
const proxy = { '/api': { target, changeOrigin: false }, '/healthz': { target, changeOrigin: false } };

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, proxy },
  preview: { port: 4173, proxy },
  build: { outDir: 'dist', emptyOutDir: true, manifest: true, chunkSizeWarningLimit: 900 },
});
