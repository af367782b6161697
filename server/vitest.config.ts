import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// "onething-source": @onething/shared's TypeScript (package.json exports), not its compiled dist/.
const conditions = ['source', ...defaultServerConditions];

export default defineConfig({
  ssr: { resolve: { conditions, externalConditions: ['source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The JSON report is what .ci/run counts its "N passed, N failed" line from.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
