// Only one process may own a PGlite data directory: two processes writing to one directory lose writes
// silently. The server holds this lock while it runs; the CLI sees it and talks to the server instead.
import fs from 'node:fs';
import path from 'node:path';

export interface LockInfo {
  pid: number;
  startedAt: string;
  /** Where the owning server listens, once it does. */
  url?: string;
}

export interface DataDirLock {
  readonly file: string;
  update(info: Partial<LockInfo>): void;
  release(): void;
}

export function lockFile(dataDir: string): string {
  return path.join(dataDir, 'onething.lock');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live owner of the directory, if any (a lock left by a dead process does not count). */
export function readLock(dataDir: string): LockInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(lockFile(dataDir), 'utf8')) as LockInfo;
    return info.pid !== process.pid && alive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

export class DataDirBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockInfo,
  ) {
    super(
      `the data directory ${dataDir} is in use by process ${owner.pid}${owner.url ? ` (a OneThing server at ${owner.url})` : ''}; stop it first, or use its API`,
    );
  }
}

export function acquireLock(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = lockFile(dataDir);
  const owner = readLock(dataDir);
  if (owner) throw new DataDirBusyError(dataDir, owner);
  fs.rmSync(file, { force: true });
  let info: LockInfo = { pid: process.pid, startedAt: new Date().toISOString() };
  // 'wx' fails if another process created the file between our check and now.
  fs.writeFileSync(file, JSON.stringify(info), { flag: 'wx' });
  let held = true;
  return {
    file,
    update(more) {
      info = { ...info, ...more };
      if (held) fs.writeFileSync(file, JSON.stringify(info));
    },
    release() {
      if (!held) return;
      held = false;
      try {
        const current = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
        if (current.pid === process.pid) fs.rmSync(file, { force: true });
      } catch {
        // already gone
      }
    },
  };
}
