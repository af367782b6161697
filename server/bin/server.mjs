#!/usr/bin/env node
// Runs the compiled server (server/dist, built by `npm run build`). Development runs the TypeScript through tsx
// instead: `npm run dev`.
import { start } from './start.mjs';
await start('main.js');
