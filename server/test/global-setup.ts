// Builds one template database per test run (migrations, job-queue schema, demo seed), so that every test
// file starts from a fresh copy in well under a second instead of running initdb and migrations again.
// PGlite: a dump of the data directory that each file loads. PostgreSQL (DATABASE_URL): a template database
// that each file clones with CREATE DATABASE … TEMPLATE.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../src/config.ts';
import { openPglite, openPostgres, type Database } from '../src/platform/db.ts';
import { migrate } from '../src/platform/migrate.ts';
import { createJobs } from '../src/platform/jobs.ts';
import { createServices } from '../src/app.ts';
import { jobDefinitions } from '../src/jobs.ts';
import { seedDemo } from '../src/seed.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dbTemplate: { kind: 'pglite'; dumpFile: string } | { kind: 'postgres'; adminUrl: string; template: string };
  }
}

async function prepare(db: Database) {
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: os.tmpdir() });
  const services = createServices({ config, db });
  await migrate(db, services.pii);
  const jobs = createJobs(db, jobDefinitions(services), pino({ level: 'silent' }));
  await jobs.start({ workers: false });
  await jobs.stop();
  await seedDemo(services);
}

export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = `onething_tpl_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${template}`);
    const tplUrl = new URL(url);
    tplUrl.pathname = `/${template}`;
    const db = await openPostgres(tplUrl.toString(), { max: 2 });
    await prepare(db);
    await db.close();
    project.provide('dbTemplate', { kind: 'postgres', adminUrl: url, template });
    return async () => {
      // Test databases are dropped by their files; the template and any leftovers go here.
      const { rows } = await admin.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`,
        [`${template}_t%`, template],
      );
      for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
      await admin.end();
    };
  }
  const db = await openPglite();
  await prepare(db);
  const dump = await db.pglite!.dumpDataDir('none');
  await db.close();
  const dumpFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'onething-test-')), 'template.tar');
  fs.writeFileSync(dumpFile, Buffer.from(await dump.arrayBuffer()));
  project.provide('dbTemplate', { kind: 'pglite', dumpFile });
  return () => fs.rmSync(path.dirname(dumpFile), { recursive: true, force: true });
}
