// Backup and restore of everything OneThing keeps: the database and the uploaded files (DATA_DIR/files), in
// one tar archive that ordinary tools can list and unpack:
//
//   database/postgres.pgdump            pg_dump --format=custom (PostgreSQL), or
//   database/pglite-datadir.tar.gz      PGlite's dumpDataDir, gzipped (embedded PGlite)
//   files/ab/<uuid>[.<keyId>] …         every upload the database refers to, byte for byte as stored (sealed
//                                       under the PII keys since migration 0015: the archive holds no upload
//                                       in clear, and making or checking it needs no key)
//   manifest.json                       written last: sizes and SHA-256 of every entry, the migration level,
//                                       the row count of every table, uploads missing or altered on disk
//
// Consistency: the database and the list of files come from one snapshot. On PostgreSQL the backup exports a
// REPEATABLE READ snapshot, counts and lists within it and hands it to pg_dump (--snapshot), so the server
// can keep running. Uploads are written to disk before their row commits and never change, so every file the
// snapshot refers to is complete on disk by then; files uploaded afterwards are simply not part of this
// backup. (`onething pii seal` and `pii rotate` write a file's sealed copy beside it and remove the old one once
// its row points to the copy: a backup taken while they run may list such a file as missing.) A PGlite directory belongs to one process: the backup takes its lock and refuses while a server
// holds it.
//
// Restore goes into an empty database and an empty DATA_DIR/files only (unless --force, which moves what is
// there aside instead of deleting it). It checks every entry against the manifest before it writes anything,
// then loads the database, compares each table's row count with the backup's, runs the migrations (a backup
// from an older release comes up to date), checks every upload's bytes against its row's SHA-256, recomputes
// the audit hash chains and records the restore itself in the audit log.
import { execFile, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import pg from 'pg';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { openPglite, openPostgres, type Database, type Executor } from '../platform/db.ts';
import { migrate, readMigrations } from '../platform/migrate.ts';
import { acquireLock, DataDirBusyError, type DataDirLock } from '../platform/datadir-lock.ts';
import { recordAudit } from '../platform/audit.ts';
import { createPiiSealer, keyRingFromConfig } from '../platform/pii.ts';
import { auditKeysFromConfig } from '../platform/audit-keys.ts';
import { verifyAuditChain, type AuditChainReport } from './audit-verify.ts';

const run = promisify(execFile);

/** A backup or restore that was refused or failed a check: the CLI exits 1 with this message. */
export class BackupError extends Error {}

// ---------------------------------------------------------------------------------------------------------
// The manifest

const Entry = z.object({ path: z.string(), size: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

const ManifestSchema = z.object({
  format: z.literal('onething-backup'),
  formatVersion: z.literal(1),
  createdAt: z.string(),
  database: Entry.extend({
    kind: z.enum(['postgres', 'pglite']),
    /** PostgreSQL: server_version_num of the source (pg_restore must be at least this major). */
    serverVersionNum: z.number().int().optional(),
    tool: z.string(),
  }),
  migrations: z.array(z.object({ id: z.number().int(), name: z.string(), checksum: z.string() })),
  /** Rows per table (schema.table) in the snapshot the database entry holds. */
  counts: z.record(z.string(), z.number().int().min(0)),
  files: z.array(Entry),
  /** Uploads whose row exists but whose bytes were not on disk at backup time. */
  missingFiles: z.array(z.string()),
  /** Uploads whose bytes on disk did not match their row's size or SHA-256 at backup time (kept as found). */
  alteredFiles: z.array(z.string()),
});
export type BackupManifest = z.infer<typeof ManifestSchema>;

const MANIFEST = 'manifest.json';
const PG_ENTRY = 'database/postgres.pgdump';
const PGLITE_ENTRY = 'database/pglite-datadir.tar.gz';
/** Upload paths as applications.service writes them (files/<2 hex>/<uuid>); nothing else is extracted. */
const FILE_ENTRY = /^files\/(?:[A-Za-z0-9_-]+\/)*[A-Za-z0-9._-]+$/;

// ---------------------------------------------------------------------------------------------------------
// A minimal ustar writer and reader: entries are streamed (a database dump can be larger than memory), and the
// reader indexes headers so that any entry can be read again by offset. Sizes of 8 GiB and more use the GNU
// base-256 size field, which GNU tar and bsdtar read.

const BLOCK = 512;

function octal(buf: Buffer, offset: number, length: number, value: number) {
  const digits = value.toString(8);
  if (digits.length <= length - 1) {
    buf.write(`${digits.padStart(length - 1, '0')}\0`, offset, length, 'ascii');
    return;
  }
  buf[offset] = 0x80;
  let v = BigInt(value);
  for (let i = offset + length - 1; i > offset; i--) {
    buf[i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

function tarHeader(name: string, size: number, mtime: Date): Buffer {
  const h = Buffer.alloc(BLOCK);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100)
      throw new Error(`path too long for the archive: ${name}`);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  h.write(base, 0, 100, 'utf8');
  octal(h, 100, 8, 0o644);
  octal(h, 108, 8, 0);
  octal(h, 116, 8, 0);
  octal(h, 124, 12, size);
  octal(h, 136, 12, Math.floor(mtime.getTime() / 1000));
  h.write('        ', 148, 8, 'ascii');
  h.write('0', 156, 1, 'ascii');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  h.write('onething', 265, 32, 'ascii');
  h.write('onething', 297, 32, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}

class TarWriter {
  private pos = 0;
  private constructor(private readonly fh: fsp.FileHandle) {}

  static async create(file: string): Promise<TarWriter> {
    return new TarWriter(await fsp.open(file, 'wx'));
  }

  private async write(buf: Buffer) {
    await this.fh.write(buf, 0, buf.length, this.pos);
    this.pos += buf.length;
  }

  private async pad(size: number) {
    const rest = size % BLOCK;
    if (rest) await this.write(Buffer.alloc(BLOCK - rest));
  }

  async addBuffer(name: string, body: Buffer): Promise<z.infer<typeof Entry>> {
    await this.write(tarHeader(name, body.length, new Date()));
    await this.write(body);
    await this.pad(body.length);
    return { path: name, size: body.length, sha256: crypto.createHash('sha256').update(body).digest('hex') };
  }

  /** Streams a file in; fails if it is not the size it had when the header was written. */
  async addFile(name: string, source: string): Promise<z.infer<typeof Entry>> {
    const st = await fsp.stat(source);
    await this.write(tarHeader(name, st.size, st.mtime));
    const hash = crypto.createHash('sha256');
    let copied = 0;
    for await (const chunk of fs.createReadStream(source, { highWaterMark: 1 << 20 })) {
      const b = chunk as Buffer;
      copied += b.length;
      if (copied > st.size) break;
      hash.update(b);
      await this.write(b);
    }
    if (copied !== st.size) throw new Error(`${source} changed size while it was being backed up`);
    await this.pad(st.size);
    return { path: name, size: st.size, sha256: hash.digest('hex') };
  }

  async finish() {
    await this.write(Buffer.alloc(2 * BLOCK));
    await this.fh.sync();
    await this.fh.close();
  }

  async abort() {
    await this.fh.close().catch(() => {});
  }
}

interface TarEntry {
  name: string;
  offset: number;
  size: number;
}

function field(h: Buffer, offset: number, length: number): string {
  const raw = h.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? length : end).toString('utf8');
}

function sizeField(h: Buffer): number {
  if ((h[124]! & 0x80) !== 0) {
    let v = 0n;
    for (let i = 125; i < 136; i++) v = (v << 8n) | BigInt(h[i]!);
    return Number(v);
  }
  return parseInt(field(h, 124, 12).trim() || '0', 8);
}

async function indexTar(file: string): Promise<Map<string, TarEntry>> {
  const fh = await fsp.open(file, 'r');
  try {
    const { size: total } = await fh.stat();
    const entries = new Map<string, TarEntry>();
    const h = Buffer.alloc(BLOCK);
    let pos = 0;
    while (pos + BLOCK <= total) {
      const { bytesRead } = await fh.read(h, 0, BLOCK, pos);
      if (bytesRead < BLOCK) break;
      if (h.every((b) => b === 0)) return entries;
      let sum = 0;
      for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
      if (sum !== parseInt(field(h, 148, 8).trim(), 8))
        throw new BackupError(`${file} is not a OneThing backup (bad tar header at byte ${pos})`);
      const prefix = field(h, 345, 155);
      const name = prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100);
      const size = sizeField(h);
      const type = String.fromCharCode(h[156]!);
      if (type === '0' || type === '\0') {
        if (entries.has(name)) throw new BackupError(`${file}: the entry ${name} appears twice`);
        entries.set(name, { name, offset: pos + BLOCK, size });
      }
      pos += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
      if (pos > total) throw new BackupError(`${file} is truncated (the entry ${name} runs past its end)`);
    }
    throw new BackupError(`${file} is truncated (no end-of-archive marker)`);
  } finally {
    await fh.close();
  }
}

function entryStream(file: string, e: TarEntry): NodeJS.ReadableStream {
  // An empty range must not be read as "to the end of the file".
  if (e.size === 0) return Readable.from([]);
  return fs.createReadStream(file, { start: e.offset, end: e.offset + e.size - 1, highWaterMark: 1 << 20 });
}

async function readEntry(file: string, e: TarEntry): Promise<Buffer> {
  const fh = await fsp.open(file, 'r');
  try {
    const buf = Buffer.alloc(e.size);
    await fh.read(buf, 0, e.size, e.offset);
    return buf;
  } finally {
    await fh.close();
  }
}

async function sha256Of(stream: NodeJS.ReadableStream): Promise<{ sha256: string; size: number }> {
  const hash = crypto.createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    const b = chunk as Buffer;
    size += b.length;
    hash.update(b);
  }
  return { sha256: hash.digest('hex'), size };
}

// ---------------------------------------------------------------------------------------------------------
// PostgreSQL client tools: pg_dump and pg_restore must be at least the server's major version. Debian keeps
// one set per installed postgresql-client-NN under /usr/lib/postgresql/NN/bin and a version-picking wrapper
// on PATH; like scripts/ci-pg.sh, ask dpkg where each installed one is, and fall back to PATH elsewhere.

interface PgTool {
  path: string;
  major: number;
}

async function toolMajor(bin: string): Promise<number | undefined> {
  try {
    const { stdout } = await run(bin, ['--version']);
    const m = /\(PostgreSQL\)\s+(\d+)/.exec(stdout);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export async function findPgTool(name: 'pg_dump' | 'pg_restore', minMajor: number): Promise<PgTool> {
  const found: PgTool[] = [];
  try {
    const { stdout } = await run('dpkg-query', [
      '-W',
      '-f=${db:Status-Abbrev} ${Package}\\n',
      'postgresql-client-[0-9]*',
    ]);
    for (const line of stdout.split('\n')) {
      const [status, pkg] = line.trim().split(/\s+/);
      if (!status?.startsWith('ii') || !pkg) continue;
      const { stdout: files } = await run('dpkg-query', ['-L', pkg]);
      const bin = files.split('\n').find((f) => f.endsWith(`/bin/${name}`));
      const major = bin ? await toolMajor(bin) : undefined;
      if (bin && major) found.push({ path: bin, major });
    }
  } catch {
    // not Debian: PATH below
  }
  const onPath = await toolMajor(name);
  if (onPath) found.push({ path: name, major: onPath });
  // The oldest major that can read this server: the closest match to what produced or will read the dump.
  const fit = found.filter((t) => t.major >= minMajor).sort((a, b) => a.major - b.major)[0];
  if (!fit) {
    const have = found.map((t) => `${t.path} (${t.major})`).join(', ') || 'none';
    throw new BackupError(
      `${name} ${minMajor} or newer is needed (found: ${have}); on Debian: apt-get install postgresql-client-${minMajor}`,
    );
  }
  return fit;
}

/** libpq arguments for a URL, with the password in the environment rather than on the command line. */
function libpqTarget(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  // The child keeps the operator's environment (PATH, locale, PGSSLMODE…) with the password added; no setting is read here.
  // biome-ignore lint/style/noProcessEnv: passed through to pg_dump / psql, not read as configuration
  return { dbname: u.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

function runTool(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-8000);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new BackupError(`${path.basename(bin)} failed (${signal ?? `exit ${code}`}):\n${stderr.trim()}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------------------
// What the database holds, read inside one snapshot

async function tableCounts(ex: Executor): Promise<Record<string, number>> {
  // Every table of the application and of the job queue, so that tables added by later migrations count too.
  const { rows } = await ex.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname IN ('public', 'pgboss') ORDER BY 1, 2`,
  );
  const counts: Record<string, number> = {};
  for (const r of rows) {
    const q = `SELECT count(*)::bigint AS n FROM ${quoteIdent(r.schema)}.${quoteIdent(r.name)}`;
    counts[`${r.schema}.${r.name}`] = Number((await ex.query<{ n: string }>(q)).rows[0]!.n);
  }
  return counts;
}

function quoteIdent(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

async function appliedMigrations(ex: Executor): Promise<BackupManifest['migrations']> {
  const exists = (await ex.query<{ t: string | null }>(`SELECT to_regclass('public.schema_migrations')::text AS t`))
    .rows[0]?.t;
  if (!exists) return [];
  return (
    await ex.query<{ id: number; name: string; checksum: string }>(
      'SELECT id, name, checksum FROM schema_migrations ORDER BY id',
    )
  ).rows;
}

interface FileRow {
  id: string;
  storage_key: string;
  /** Of the bytes stored. */
  size: number;
  sha256: string;
}

/**
 * The uploads and what their stored bytes must be: since migration 0015 files are sealed, and a row records the
 * SHA-256 and size of what is on disk beside those of what was uploaded; a file from before is stored as uploaded.
 * Checked without the keys, so that a backup needs none.
 */
async function fileRows(ex: Executor): Promise<FileRow[]> {
  const exists = (await ex.query<{ t: string | null }>(`SELECT to_regclass('public.files')::text AS t`)).rows[0]?.t;
  if (!exists) return [];
  const { rows: sealed } = await ex.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'files' AND column_name = 'stored_sha256'`,
  );
  const stored = sealed[0]?.n
    ? 'coalesce(stored_size, size) AS size, coalesce(stored_sha256, sha256) AS sha256'
    : 'size, sha256';
  return (await ex.query<FileRow>(`SELECT id::text AS id, storage_key, ${stored} FROM files ORDER BY storage_key`))
    .rows;
}

function pgClientExecutor(client: pg.Client): Executor {
  return {
    get db(): never {
      throw new Error('not available on a snapshot connection');
    },
    get auditKeys(): never {
      throw new Error('not available on a snapshot connection');
    },
    async query<R>(text: string, params: unknown[] = []) {
      const r = await client.query(text, params);
      return { rows: r.rows as R[], rowCount: r.rowCount ?? r.rows.length };
    },
    async exec(text: string) {
      await client.query(text);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Backup

export interface BackupResult {
  file: string;
  bytes: number;
  manifest: BackupManifest;
}

export interface BackupOptions {
  /** The archive to write; it must not exist. */
  out: string;
  log?: (line: string) => void;
}

export async function createBackup(config: Config, options: BackupOptions): Promise<BackupResult> {
  const log = options.log ?? (() => {});
  const out = path.resolve(options.out);
  if (fs.existsSync(out)) throw new BackupError(`${out} exists; choose another --out`);
  // Written under a temporary name and renamed when complete: an archive under the final name is whole.
  const partial = `${out}.partial-${process.pid}`;
  const work = await fsp.mkdtemp(path.join(os.tmpdir(), 'onething-backup-'));
  let lock: DataDirLock | null = null;
  let tar: TarWriter | null = null;
  try {
    let database: BackupManifest['database'];
    let migrations: BackupManifest['migrations'];
    let counts: Record<string, number>;
    let rows: FileRow[];
    tar = await TarWriter.create(partial);

    if (config.DATABASE_URL) {
      const client = new pg.Client({ connectionString: config.DATABASE_URL });
      await client.connect();
      try {
        // One snapshot for the counts, the file list and pg_dump; the transaction stays open until pg_dump ends.
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
        const snapshot = (await client.query<{ s: string }>('SELECT pg_export_snapshot() AS s')).rows[0]!.s;
        const ex = pgClientExecutor(client);
        const versionNum = Number(
          (await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]!.v,
        );
        migrations = await appliedMigrations(ex);
        counts = await tableCounts(ex);
        rows = await fileRows(ex);
        const tool = await findPgTool('pg_dump', Math.floor(versionNum / 10000));
        const dumpFile = path.join(work, 'postgres.pgdump');
        const target = libpqTarget(config.DATABASE_URL);
        log(`dumping PostgreSQL ${Math.floor(versionNum / 10000)} with ${tool.path} (${tool.major})`);
        await runTool(
          tool.path,
          [
            '--format=custom',
            '--no-password',
            `--snapshot=${snapshot}`,
            `--file=${dumpFile}`,
            `--dbname=${target.dbname}`,
          ],
          target.env,
        );
        await client.query('COMMIT');
        const e = await tar.addFile(PG_ENTRY, dumpFile);
        await fsp.rm(dumpFile, { force: true });
        database = { ...e, kind: 'postgres', serverVersionNum: versionNum, tool: `pg_dump ${tool.major}` };
      } finally {
        await client.end().catch(() => {});
      }
    } else {
      const dir = path.join(config.dataDir, 'pglite');
      if (!fs.existsSync(path.join(dir, 'PG_VERSION')))
        throw new BackupError(
          `no database in ${config.dataDir}: set DATA_DIR to the server's data directory, or DATABASE_URL`,
        );
      lock = takeLock(config.dataDir, 'back it up');
      const db = await openPglite({ dataDir: dir });
      try {
        migrations = await appliedMigrations(db);
        counts = await tableCounts(db);
        rows = await fileRows(db);
        log('dumping the PGlite data directory');
        const dump = Buffer.from(await (await db.pglite!.dumpDataDir('none')).arrayBuffer());
        const e = await tar.addBuffer(PGLITE_ENTRY, zlib.gzipSync(dump, { level: 6 }));
        database = { ...e, kind: 'pglite', tool: 'pglite dumpDataDir' };
      } finally {
        await db.close();
      }
    }

    // The uploads the snapshot refers to, each checked against its row as it is copied.
    const files: BackupManifest['files'] = [];
    const missingFiles: string[] = [];
    const alteredFiles: string[] = [];
    for (const r of rows) {
      if (!FILE_ENTRY.test(r.storage_key) || r.storage_key.split('/').includes('..'))
        throw new BackupError(`file ${r.id} has an unexpected storage key: ${r.storage_key}`);
      const source = path.join(config.dataDir, r.storage_key);
      if (!fs.existsSync(source)) {
        missingFiles.push(r.storage_key);
        continue;
      }
      const e = await tar.addFile(r.storage_key, source);
      if (e.size !== r.size || e.sha256 !== r.sha256) alteredFiles.push(r.storage_key);
      files.push(e);
    }
    lock?.release();
    lock = null;

    const manifest: BackupManifest = {
      format: 'onething-backup',
      formatVersion: 1,
      createdAt: new Date().toISOString(),
      database,
      migrations,
      counts,
      files,
      missingFiles,
      alteredFiles,
    };
    await tar.addBuffer(MANIFEST, Buffer.from(`${JSON.stringify(manifest, null, 1)}\n`));
    await tar.finish();
    tar = null;
    await fsp.rename(partial, out);
    const dirHandle = await fsp.open(path.dirname(out), 'r');
    await dirHandle.sync().finally(() => dirHandle.close());
    return { file: out, bytes: (await fsp.stat(out)).size, manifest };
  } catch (err) {
    await tar?.abort();
    await fsp.rm(partial, { force: true });
    throw err instanceof DataDirBusyError ? new BackupError(err.message) : err;
  } finally {
    lock?.release();
    await fsp.rm(work, { recursive: true, force: true });
  }
}

function takeLock(dataDir: string, what: string): DataDirLock {
  try {
    return acquireLock(dataDir);
  } catch (err) {
    if (err instanceof DataDirBusyError) {
      throw new BackupError(
        `the data directory ${dataDir} is in use by a OneThing server (process ${err.owner.pid}); stop it to ${what}`,
      );
    }
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Reading and checking an archive

export interface OpenedBackup {
  manifest: BackupManifest;
  entries: Map<string, TarEntry>;
}

/** Reads the manifest and checks every entry's size and SHA-256 against it; reads the whole archive once. */
export async function verifyBackup(file: string): Promise<OpenedBackup> {
  if (!fs.existsSync(file)) throw new BackupError(`${file} does not exist`);
  const entries = await indexTar(file);
  const m = entries.get(MANIFEST);
  if (!m) throw new BackupError(`${file} is not a OneThing backup (no ${MANIFEST})`);
  let manifest: BackupManifest;
  try {
    manifest = ManifestSchema.parse(JSON.parse((await readEntry(file, m)).toString('utf8')));
  } catch (err) {
    throw new BackupError(
      `${file}: the manifest is not valid: ${err instanceof Error ? err.message.slice(0, 500) : String(err)}`,
    );
  }
  const expected = [manifest.database, ...manifest.files];
  if (entries.size !== expected.length + 1)
    throw new BackupError(
      `${file} holds ${entries.size - 1} entries besides the manifest; the manifest lists ${expected.length}`,
    );
  for (const want of expected) {
    const e = entries.get(want.path);
    if (!e) throw new BackupError(`${file}: ${want.path} is listed in the manifest but missing from the archive`);
    if (want.path !== manifest.database.path && !FILE_ENTRY.test(want.path))
      throw new BackupError(`${file}: unexpected entry ${want.path}`);
    const got = await sha256Of(entryStream(file, e));
    if (got.size !== want.size || got.sha256 !== want.sha256)
      throw new BackupError(`${file}: ${want.path} is damaged (its SHA-256 or size differs from the manifest)`);
  }
  return { manifest, entries };
}

// ---------------------------------------------------------------------------------------------------------
// Restore

export interface RestoreOptions {
  /** Move an existing database and files aside (never deleted) instead of refusing. */
  force?: boolean;
  log?: (line: string) => void;
}

export interface RestoreReport {
  kind: 'postgres' | 'pglite';
  backupCreatedAt: string;
  /** Tables whose row count after loading differs from the backup's: must be empty. */
  countMismatches: Array<{ table: string; backup: number; restored: number }>;
  tables: number;
  rows: number;
  files: { restored: number; bytes: number; verified: number; problems: string[] };
  migrationsApplied: string[];
  audit: AuditChainReport;
  /** Where --force moved what was there before. */
  movedAside: string[];
  ok: boolean;
}

export async function restoreBackup(
  config: Config,
  file: string,
  options: RestoreOptions = {},
): Promise<RestoreReport> {
  const log = options.log ?? (() => {});
  const archive = path.resolve(file);
  log(`checking ${archive}`);
  const { manifest, entries } = await verifyBackup(archive);
  const kind = config.DATABASE_URL ? 'postgres' : 'pglite';
  if (manifest.database.kind !== kind) {
    throw new BackupError(
      `this is a backup of a ${manifest.database.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'} database; restore it with ${manifest.database.kind === 'postgres' ? 'DATABASE_URL set' : 'DATABASE_URL unset (PGlite in DATA_DIR)'}`,
    );
  }
  // A backup from a release with migrations this one does not know would run on a schema it cannot read.
  const known = new Map(readMigrations().map((m) => [m.id, m]));
  for (const m of manifest.migrations) {
    const k = known.get(m.id);
    if (!k)
      throw new BackupError(
        `the backup has migration ${m.id}_${m.name}, which this OneThing does not know: restore it with the release that wrote it`,
      );
    if (k.checksum !== m.checksum)
      throw new BackupError(`the backup's migration ${m.id}_${m.name} differs from this release's (checksum)`);
  }

  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  const movedAside: string[] = [];
  const filesDir = path.join(config.dataDir, 'files');
  let lock: DataDirLock | null = null;
  let db: Database | undefined;
  const work = await fsp.mkdtemp(path.join(os.tmpdir(), 'onething-restore-'));
  try {
    if (kind === 'pglite') lock = takeLock(config.dataDir, 'restore into it');
    // Check every target before changing any of them.
    const pgliteDir = path.join(config.dataDir, 'pglite');
    const busyFiles = nonEmptyDir(filesDir);
    const busyPglite = kind === 'pglite' && nonEmptyDir(pgliteDir);
    let pgTarget: Awaited<ReturnType<typeof inspectPostgresTarget>> | undefined;
    let restoreTool: PgTool | undefined;
    if (config.DATABASE_URL) {
      restoreTool = await findPgTool('pg_restore', Math.floor((manifest.database.serverVersionNum ?? 0) / 10000));
      await pipeline(
        entryStream(archive, entries.get(PG_ENTRY)!),
        fs.createWriteStream(path.join(work, 'postgres.pgdump'), { flags: 'wx' }),
      );
      pgTarget = await inspectPostgresTarget(config.DATABASE_URL, restoreTool, path.join(work, 'postgres.pgdump'));
    }
    if (pgTarget && pgTarget.otherSessions > 0) {
      throw new BackupError(
        `${pgTarget.otherSessions} other sessions are connected to the target database (a running server?); stop them first`,
      );
    }
    const occupied = [
      ...(busyFiles ? [filesDir] : []),
      ...(busyPglite ? [pgliteDir] : []),
      ...(pgTarget?.occupiedSchemas.length ? [`database schemas ${pgTarget.occupiedSchemas.join(', ')}`] : []),
    ];
    if (occupied.length && !options.force) {
      throw new BackupError(
        `restore goes into an empty database and data directory only; not empty: ${occupied.join('; ')}. Use --force to move them aside`,
      );
    }
    if (busyFiles) movedAside.push(await moveAside(filesDir, stamp));
    if (busyPglite) movedAside.push(await moveAside(pgliteDir, stamp));

    // The database.
    if (kind === 'postgres') {
      const url = config.DATABASE_URL!;
      movedAside.push(...(await renameSchemas(url, pgTarget!.occupiedSchemas, stamp)));
      const target = libpqTarget(url);
      log(`loading the database with ${restoreTool!.path} (${restoreTool!.major})`);
      // One transaction: a restore that fails part-way leaves the database as empty as it was.
      await runTool(
        restoreTool!.path,
        [
          '--no-owner',
          '--no-privileges',
          '--exit-on-error',
          '--single-transaction',
          '--no-password',
          `--dbname=${target.dbname}`,
          path.join(work, 'postgres.pgdump'),
        ],
        target.env,
      );
      await fsp.rm(path.join(work, 'postgres.pgdump'), { force: true });
      db = await openPostgres(url, { max: 4, auditKeys: auditKeysFromConfig(config) });
    } else {
      log('loading the PGlite data directory');
      const dump = zlib.gunzipSync(await readEntry(archive, entries.get(PGLITE_ENTRY)!));
      fs.mkdirSync(pgliteDir, { recursive: true });
      db = await openPglite({
        dataDir: pgliteDir,
        loadDataDir: new Blob([dump]),
        auditKeys: auditKeysFromConfig(config),
      });
    }

    // Same rows as in the backup, before the migrations may add or change any.
    const restoredCounts = await tableCounts(db);
    const countMismatches = Object.entries(manifest.counts)
      .filter(([table, n]) => restoredCounts[table] !== n)
      .map(([table, n]) => ({ table, backup: n, restored: restoredCounts[table] ?? -1 }));

    // The uploads.
    log(`restoring ${manifest.files.length} uploaded files`);
    let bytes = 0;
    for (const f of manifest.files) {
      const target = path.join(config.dataDir, f.path);
      await fsp.mkdir(path.dirname(target), { recursive: true });
      await pipeline(entryStream(archive, entries.get(f.path)!), fs.createWriteStream(target, { flags: 'wx' }));
      bytes += f.size;
    }

    // The data steps of the migrations still owed encrypt with the configuration's keys.
    const { applied } = await migrate(db, createPiiSealer(keyRingFromConfig(config)));

    // Every upload the database refers to, byte for byte.
    const problems: string[] = [];
    let verified = 0;
    for (const r of await fileRows(db)) {
      const p = path.join(config.dataDir, r.storage_key);
      if (!fs.existsSync(p)) {
        problems.push(
          `${r.storage_key}: missing${manifest.missingFiles.includes(r.storage_key) ? ' (already missing when the backup was made)' : ''}`,
        );
        continue;
      }
      const got = await sha256Of(fs.createReadStream(p));
      if (got.sha256 !== r.sha256 || got.size !== r.size)
        problems.push(
          `${r.storage_key}: bytes differ from the row's SHA-256${manifest.alteredFiles.includes(r.storage_key) ? ' (already so when the backup was made)' : ''}`,
        );
      else verified++;
    }

    const audit = await verifyAuditChain(db);
    const ok = countMismatches.length === 0 && problems.length === 0 && audit.brokenCount === 0;
    // The restore is itself part of the record: who can later tell that these rows came back from a backup.
    await recordAudit(db, {
      actorId: null,
      action: 'system.restored',
      subjectType: 'system',
      subjectId: 'database',
      data: {
        backupCreatedAt: manifest.createdAt,
        database: kind,
        files: manifest.files.length,
        migrationsApplied: applied,
        checksOk: ok,
      },
    });
    return {
      kind,
      backupCreatedAt: manifest.createdAt,
      countMismatches,
      tables: Object.keys(manifest.counts).length,
      rows: Object.values(manifest.counts).reduce((a, b) => a + b, 0),
      files: { restored: manifest.files.length, bytes, verified, problems },
      migrationsApplied: applied,
      audit,
      movedAside,
      ok,
    };
  } finally {
    await db?.close();
    lock?.release();
    await fsp.rm(work, { recursive: true, force: true });
  }
}

function nonEmptyDir(dir: string): boolean {
  try {
    return fs.readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}

async function moveAside(dir: string, stamp: string): Promise<string> {
  const to = `${dir}.replaced-${stamp}`;
  await fsp.rename(dir, to);
  return to;
}

/** Whether the target database is empty where the dump would write, and who else is connected to it. */
async function inspectPostgresTarget(url: string, tool: PgTool, dumpFile: string) {
  // The schemas the dump creates, from its table of contents, plus public, which every database has.
  const { stdout } = await run(tool.path, ['--list', dumpFile], { maxBuffer: 64 << 20 });
  const schemas = [
    ...new Set(['public', ...[...stdout.matchAll(/^\d+;\s*\d+\s+\d+\s+SCHEMA\s+-\s+(\S+)/gm)].map((m) => m[1]!)]),
  ];
  const client = new pg.Client({ connectionString: url });
  await client.connect().catch((err: { code?: string }) => {
    if (err.code === '3D000')
      throw new BackupError(
        `the target database does not exist: create an empty one first (createdb, or CREATE DATABASE) and set DATABASE_URL to it`,
      );
    throw err;
  });
  try {
    const { rows } = await client.query<{ nspname: string; objects: string }>(
      `SELECT n.nspname, (SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid)
                         + (SELECT count(*) FROM pg_proc p WHERE p.pronamespace = n.oid)
                         + (SELECT count(*) FROM pg_type t WHERE t.typnamespace = n.oid AND t.typrelid = 0 AND t.typelem = 0) AS objects
         FROM pg_namespace n WHERE n.nspname = ANY($1::text[])`,
      [schemas],
    );
    // public exists empty in every new database; any other schema of the dump must not exist at all.
    const occupiedSchemas = rows.filter((r) => r.nspname !== 'public' || Number(r.objects) > 0).map((r) => r.nspname);
    const others = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
    );
    return { occupiedSchemas, otherSessions: Number(others.rows[0]!.n) };
  } finally {
    await client.end();
  }
}

/** --force on PostgreSQL: the schemas in the way are renamed, not dropped, so nothing is destroyed. */
async function renameSchemas(url: string, schemas: string[], stamp: string): Promise<string[]> {
  if (schemas.length === 0) return [];
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const moved: string[] = [];
  try {
    await client.query('BEGIN');
    for (const s of schemas) {
      const to = `${s}_replaced_${stamp}`.toLowerCase();
      await client.query(`ALTER SCHEMA ${quoteIdent(s)} RENAME TO ${quoteIdent(to)}`);
      moved.push(`schema ${s} → ${to}`);
    }
    if (schemas.includes('public')) await client.query('CREATE SCHEMA public');
    await client.query('COMMIT');
    return moved;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}
