import { defaultClientConditions } from 'vite';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Unit tests of the web app in jsdom: the catalogues, the schema form, the pure helpers.
export default defineConfig({
  plugins: [react()],
  // "source": @onething/shared's TypeScript (its package.json exports), not its compiled dist/.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  test: {
    root: import.meta.dirname,
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
    setupFiles: ['src/test/setup.ts'],
    testTimeout: 20_000,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
