import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Unit tests of the web app in jsdom: the catalogues, the schema form, the pure helpers.
export default defineConfig({
  plugins: [react()],
  // "onething-source": @onething/shared's TypeScript (its package.json exports), not its compiled dist/.
  resolve: { conditions: ['onething-source', ...defaultClientConditions] },
  // The same for the tests that run in Node (`@vitest-environment node`), whose imports Vite resolves for SSR.
  ssr: { resolve: { conditions: ['onething-source', ...defaultServerConditions] } },
  test: {
    root: import.meta.dirname,
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
    setupFiles: ['src/test/setup.ts'],
    testTimeout: 20_000,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
