// Durable jobs on pg-boss in the same database. A job is enqueued through the business transaction's own
// connection (pg-boss's `db` option), so it exists exactly when the change that caused it committed: an
// outbox without a relay. Handlers must be idempotent: pg-boss delivers at least once.
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Database, Executor } from './db.ts';

export interface JobDefinition<T extends object> {
  /** Queue name; bump the suffix (".v2") when the payload changes incompatibly. */
  name: string;
  retryLimit: number;
  retryDelaySeconds: number;
  retryBackoff: boolean;
  /** A cron expression (UTC) for scheduled jobs. */
  schedule?: string;
  handle(data: T, ctx: { db: Database; log: Logger; jobId: string }): Promise<void>;
}

export function defineJob<T extends object>(def: JobDefinition<T>): JobDefinition<T> {
  return def;
}

export interface Jobs {
  /** Enqueue inside tx: committed with it or not at all. */
  enqueue<T extends object>(
    tx: Executor,
    def: JobDefinition<T>,
    data: T,
    options?: { singletonKey?: string; startAfterSeconds?: number },
  ): Promise<string | null>;
  start(options: { workers: boolean }): Promise<void>;
  stop(): Promise<void>;
  readonly boss: PgBoss;
}

function executorAdapter(ex: Executor) {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      if (values.length > 0) return ex.query(text, values);
      // pg-boss sends multi-statement DDL without parameters when it installs its schema.
      if (/;\s*\S/.test(text.trim().replace(/;\s*$/, ''))) {
        await ex.exec(text);
        return { rows: [] };
      }
      return ex.query(text, []);
    },
  };
}

export function createJobs(database: Database, definitions: JobDefinition<object>[], log: Logger): Jobs {
  const boss = new PgBoss({
    db: executorAdapter(database),
    // Scheduling and maintenance need one clock source; every instance may run them (pg-boss locks).
    supervise: true,
    schedule: true,
    migrate: true,
  });
  boss.on('error', (err) => log.error({ err }, 'job queue error'));
  const known = new Map(definitions.map((d) => [d.name, d]));
  let started = false;

  return {
    boss,
    async enqueue(tx, def, data, options = {}) {
      if (!known.has(def.name)) throw new Error(`job ${def.name} is not registered`);
      return boss.send(def.name, data, {
        db: executorAdapter(tx),
        retryLimit: def.retryLimit,
        retryDelay: def.retryDelaySeconds,
        retryBackoff: def.retryBackoff,
        ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
        ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
      });
    },
    async start({ workers }) {
      const install = async () => {
        await boss.start();
        started = true;
        for (const def of definitions) {
          await boss.createQueue(def.name, {
            name: def.name,
            retryLimit: def.retryLimit,
            retryDelay: def.retryDelaySeconds,
            retryBackoff: def.retryBackoff,
          });
          if (def.schedule) await boss.schedule(def.name, def.schedule, {}, { tz: 'UTC' });
        }
      };
      if (database.kind === 'postgres') {
        // Instances starting at once race to create pg-boss's schema and queues: pg-boss 10 takes the loser's unique
        // violation for an error, and two create_queue calls deadlock; either ends that instance. One at a time:
        // the next one finds everything in place. (Not on PGlite: one process, one connection.)
        await database.transaction(async (tx) => {
          await tx.query(`SELECT pg_advisory_xact_lock(hashtext('onething.jobs.start'))`);
          await install();
        });
      } else {
        await install();
      }
      for (const def of definitions) {
        if (workers) {
          await boss.work(def.name, { pollingIntervalSeconds: 1, batchSize: 20 }, async (jobs) => {
            // Each job succeeds or fails on its own: a failed one goes back for retry with backoff, and
            // pg-boss then completes only the jobs still active.
            for (const job of jobs) {
              const jobLog = log.child({ job: def.name, jobId: job.id });
              try {
                await def.handle(job.data as object, { db: database, log: jobLog, jobId: job.id });
              } catch (err) {
                jobLog.warn({ err }, 'job failed');
                // Marking it failed needs the database too; when that is what failed, the job stays active and
                // pg-boss retries it after its expiry. Either way this batch goes on with the next job.
                await boss
                  .fail(def.name, job.id, { message: err instanceof Error ? err.message : String(err) })
                  .catch((e: unknown) => jobLog.warn({ err: e }, 'could not record the failure'));
              }
            }
          });
        }
      }
    },
    async stop() {
      if (started) await boss.stop({ graceful: true, wait: true, timeout: 5000 });
      started = false;
    },
  };
}
