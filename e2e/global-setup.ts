// One server for the whole browser suite: starting one (migrations and the seed on a fresh PGlite) is the
// slowest step, and the journeys do not interfere (each submits its own applications).
import type { TestProject } from 'vitest/node';
import { startServer } from './harness.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  // While developing the suite, E2E_BASE_URL points it at a server already running (e.g. vite preview
  // proxying to a dev server), skipping the start-up.
  if (process.env.E2E_BASE_URL) {
    project.provide('baseUrl', process.env.E2E_BASE_URL.replace(/\/$/, ''));
    return;
  }
  const started = Date.now();
  const server = await startServer();
  console.log(`e2e: server ready at ${server.url} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  project.provide('baseUrl', server.url);
  return async () => server.stop();
}
