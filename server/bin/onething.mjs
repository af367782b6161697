#!/usr/bin/env node
// The operators' command-line tool; see `onething --help`.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli.ts');
