// Pure domain tests only (no database): handy while working on one module.
import { defineConfig } from 'vitest/config';
export default defineConfig({ test: { include: ['src/**/*.domain.test.ts'], environment: 'node' } });
