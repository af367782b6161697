#!/usr/bin/env node
// The operators' command-line tool, compiled (server/dist, built by `npm run build`); see `onething --help`.
import { start } from './start.mjs';
await start('cli.js');
