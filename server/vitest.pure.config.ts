// Pure domain tests only (no database): handy while working on one module.
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';
// "onething-source": @onething/shared's TypeScript (package.json exports), not its compiled dist/.
export default defineConfig({
  ssr: {
    resolve: { conditions: ['onething-source', ...defaultServerConditions], externalConditions: ['onething-source'] },
  },
  test: { include: ['src/**/*.domain.test.ts'], environment: 'node' },
});
