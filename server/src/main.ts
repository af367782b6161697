// config → database → migrate → services → jobs → seed → buildApp → listen; closes gracefully on SIGTERM/SIGINT.
import pino from 'pino';
import { loadConfig } from './config.ts';
import { openDatabase } from './platform/db.ts';
import { migrate } from './platform/migrate.ts';
import { createJobs } from './platform/jobs.ts';
import { acquireLock, type DataDirLock } from './platform/datadir-lock.ts';
import { buildApp, createServices } from './app.ts';
import { jobDefinitions } from './jobs.ts';
import { seedDemo, seedDemoApplications } from './seed.ts';
import { checkKeysOpenStoredData, countUnsealedFiles } from './platform/pii-store.ts';
import { logOptions } from './platform/log.ts';
import { checkStoredKeys } from './modules/sso/index.ts';

const config = loadConfig();
const log = pino(logOptions(config.LOG_LEVEL));

// A lost database connection must not end the server: the pool drops the broken client and the next query
// connects again. It reaches the process two ways. pg-boss 10 completes and fails jobs without awaiting the
// promise (manager.js, onFetch; timgit/pg-boss#577), so while PostgreSQL is unreachable those reject unhandled
// (the job stays active and is retried after its expiry); and node-postgres emits 'error' on a client nothing
// listens on at that moment (a connection PostgreSQL ended as it went down, seen in the crash harness). Either is
// logged and the server runs on; anything else still ends the process.
const CONNECTION_LOST =
  /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|Connection terminated|terminating connection|the database system is (starting up|shutting down|in recovery)/;
function survivingLostConnection(what: string) {
  return (err: unknown) => {
    const e = err as { code?: string; message?: string } | undefined;
    if (CONNECTION_LOST.test(`${e?.code ?? ''} ${e?.message ?? ''}`) || /^(08|57P)/.test(e?.code ?? '')) {
      log.error({ err }, 'database connection lost');
      return;
    }
    log.fatal({ err }, what);
    process.exit(1);
  };
}
process.on('unhandledRejection', survivingLostConnection('unhandled rejection'));
process.on('uncaughtException', survivingLostConnection('uncaught exception'));

let lock: DataDirLock | null = null;
if (!config.DATABASE_URL) lock = acquireLock(config.dataDir);

const db = await openDatabase(config);
// Created once: the migrations' data steps, the jobs, the seed and the routes all use these.
const services = createServices({ config, db });
const { applied } = await migrate(db, services.pii);
log.info({ database: db.kind, applied }, 'database ready');

// Wrong keys would let the server start and then fail on every read of personal data: refuse to start instead.
const keyProblems = await checkKeysOpenStoredData(db, services.pii);
if (keyProblems.length) {
  log.fatal(
    { problems: keyProblems },
    'PII_KEYS does not open the personal data this database holds: start with the keys it was written with',
  );
  await db.close();
  lock?.release();
  process.exit(1);
}
// Uploads from before files were sealed (migration 0015) stay readable as they are; the operator seals them.
const unsealed = await countUnsealedFiles(db);
if (unsealed > 0)
  log.warn({ files: unsealed }, 'uploaded files stored unencrypted: run `onething pii seal` to encrypt them');

// SSO keys in clear while SSO_KEY_ENCRYPTION_KEY is set (a database from before the setting), or sealed under
// another setting: refuse to start, naming the command that fixes the first (docs/adr/0020).
const ssoKeys = await checkStoredKeys(db, { encryptionKey: config.SSO_KEY_ENCRYPTION_KEY });
if (ssoKeys.problems.length) {
  log.fatal({ problems: ssoKeys.problems }, 'the SSO keys in the database cannot serve under SSO_KEY_ENCRYPTION_KEY');
  await db.close();
  lock?.release();
  process.exit(1);
}

const jobs = createJobs(db, jobDefinitions(services), log);
await jobs.start({ workers: config.JOBS_WORKERS });

if (config.SEED_DEMO) {
  if (config.NODE_ENV === 'production')
    log.warn('SEED_DEMO is on in production: demo accounts with a published password will exist');
  await seedDemo(services, (msg) => log.info(`seed ${msg}`));
  if (config.SEED_DEMO_APPLICATIONS) await seedDemoApplications(services, (msg) => log.info(`seed ${msg}`));
}

const app = await buildApp({ config, db, jobs, services });
const address = await app.listen({ port: config.PORT, host: config.HOST });
lock?.update({ url: `http://127.0.0.1:${config.PORT}` });
log.info(
  { address, database: db.kind, dataDir: db.kind === 'pglite' ? config.dataDir : undefined },
  'OneThing is listening',
);

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  try {
    await app.close();
    await jobs.stop();
    await db.close();
  } finally {
    lock?.release();
    process.exit(0);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
