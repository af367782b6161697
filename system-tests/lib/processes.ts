// The processes a system test runs and kills: a throwaway PostgreSQL (scripts/ci-pg.sh), OneThing servers
// (node server/bin/server.mjs, the compiled build, exactly what `npm start` runs) and nginx. Everything listens on 127.0.0.1 only,
// every wait is bounded, and whatever is still running when the harness exits is killed by its pid.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const exec = promisify(execFile);

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// Fixed ports (the harnesses' defaults, scripts/ci-pg.sh) lie below Linux's ephemeral range (32768–60999 by
// default): a port inside it can be held for a moment as the local end of any outgoing connection, and a server
// started on it then fails with EADDRINUSE (a CI run lost the scale-out test that way).

/** The last lines of a log file, for an error message that must stand on its own in CI's output. */
export function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Children still alive at exit, signalled by pid (never by name) so that a failed run leaves nothing behind:
 * servers get SIGKILL; nginx gets SIGTERM, on which its master stops its own workers.
 */
const live = new Map<ChildProcess, NodeJS.Signals>();
process.on('exit', () => {
  for (const [c, sig] of live) if (c.exitCode === null && c.signalCode === null && c.pid) process.kill(c.pid, sig);
});

export async function waitFor(
  what: string,
  timeoutMs: number,
  probe: () => Promise<boolean>,
  everyMs = 100,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

// ---------------------------------------------------------------------------------------------------------

export class Postgres {
  kills = 0;
  private constructor(
    readonly url: string,
    private readonly env: NodeJS.ProcessEnv,
    readonly root: string,
  ) {}

  /**
   * A new cluster on this port. PG_FAST=0: fsync and synchronous_commit stay on, so a commit PostgreSQL
   * acknowledged survives PostgreSQL being killed (with synchronous_commit off it could be lost).
   */
  static async start(port: number, root: string): Promise<Postgres> {
    const env = { ...process.env, PGPORT: String(port), PGROOT: root, PG_FAST: '0' };
    const { stdout } = await exec('bash', [path.join(ROOT, 'scripts/ci-pg.sh'), 'start'], { env });
    return new Postgres(stdout.trim(), env, root);
  }

  /** A database URL in this cluster. */
  database(name: string): string {
    const u = new URL(this.url);
    u.pathname = `/${name}`;
    return u.toString();
  }

  /** SIGKILL to the postmaster and every backend: what a crash of the database host leaves behind. */
  async crash(): Promise<void> {
    const pidFile = path.join(this.root, 'data', 'postmaster.pid');
    const postmaster = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    const children = fs
      .readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .filter((d) => {
        try {
          // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may contain spaces, so split after the last ')'.
          const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
        } catch {
          return false;
        }
      })
      .map(Number);
    for (const pid of [postmaster, ...children]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await waitFor('PostgreSQL to die', 10_000, async () => {
      try {
        process.kill(postmaster, 0);
        return false;
      } catch {
        return true;
      }
    });
    this.kills++;
  }

  /** The same cluster again: PostgreSQL replays its WAL before it accepts connections. */
  async resume(): Promise<void> {
    await exec('bash', [path.join(ROOT, 'scripts/ci-pg.sh'), 'resume'], { env: this.env });
  }

  async stop(): Promise<void> {
    await exec('bash', [path.join(ROOT, 'scripts/ci-pg.sh'), 'stop'], { env: this.env });
  }
}

// ---------------------------------------------------------------------------------------------------------

export class Server {
  private child: ChildProcess | null = null;
  startedAt = 0;
  starts = 0;
  unexpectedExits = 0;
  /** Kills observed: exits of this server by SIGKILL after kill() sent it (not the kills merely asked for). */
  sigkills = 0;
  private expectingExit = false;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly logFile: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the server and resolves when /readyz answers 200 (migrations done, listening). */
  async start(timeoutMs = 90_000): Promise<void> {
    // The compiled server, as npm start runs it: the test:crash and test:scale-out scripts build it first.
    for (const built of ['server/dist/main.js', 'shared/dist/index.js'])
      if (!fs.existsSync(path.join(ROOT, built)))
        throw new Error(`${built} is missing: run npm run build:server first`);
    const log = fs.openSync(this.logFile, 'a');
    fs.writeSync(log, `\n--- ${new Date().toISOString()} start ${this.name}\n`);
    const child = spawn(process.execPath, [path.join(ROOT, 'server/bin/server.mjs')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        ...this.env,
        PORT: String(this.port),
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    this.child = child;
    this.expectingExit = false;
    live.set(child, 'SIGKILL');
    child.on('exit', () => {
      live.delete(child);
      if (!this.expectingExit && this.child === child) this.unexpectedExits++;
    });
    this.starts++;
    const until = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running)
        throw new Error(`${this.name} exited during start-up; ${this.logFile} ends:\n${tail(this.logFile)}`);
      const ready = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ready) break;
      if (Date.now() > until)
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${this.name} to be ready; ${this.logFile} ends:\n${tail(this.logFile)}`,
        );
      await sleep(100);
    }
    this.startedAt = Date.now();
  }

  /** SIGKILL: no shutdown hook runs, in-flight requests and transactions are cut off. */
  async kill(): Promise<void> {
    if ((await this.signal('SIGKILL')) === 'SIGKILL') this.sigkills++;
  }

  /** SIGTERM: the graceful shutdown main.ts installs. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  /** Sends sig and resolves with the signal the process was ended by, as its exit reports it. */
  private async signal(sig: NodeJS.Signals): Promise<NodeJS.Signals | null> {
    const child = this.child;
    if (!child || !this.running) return null;
    this.expectingExit = true;
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, signal) => r(signal)));
    child.kill(sig);
    await Promise.race([exited, sleep(20_000).then(() => child.kill('SIGKILL'))]);
    return exited;
  }
}

// ---------------------------------------------------------------------------------------------------------

/** nginx (Debian's package) in the foreground with its config, pid, logs and temp files in one directory. */
export class Nginx {
  private child: ChildProcess | null = null;
  constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async available(): Promise<string | null> {
    for (const bin of ['/usr/sbin/nginx', 'nginx']) {
      try {
        const { stderr } = await exec(bin, ['-v']);
        return `${bin} (${stderr.trim()})`;
      } catch {
        // next
      }
    }
    return null;
  }

  /** Fills the template: {{PREFIX}}, {{LISTEN}}, {{UPSTREAMS}}. */
  writeConfig(template: string, upstreams: string[]) {
    const conf = fs
      .readFileSync(template, 'utf8')
      .replaceAll('{{PREFIX}}', this.dir)
      .replaceAll('{{LISTEN}}', `127.0.0.1:${this.port}`)
      .replaceAll('{{UPSTREAMS}}', upstreams.map((u) => `server ${u} max_fails=1 fail_timeout=3s;`).join('\n    '));
    fs.writeFileSync(path.join(this.dir, 'nginx.conf'), conf);
  }

  async start(): Promise<void> {
    const args = [
      '-p',
      this.dir,
      '-c',
      path.join(this.dir, 'nginx.conf'),
      '-g',
      `daemon off; pid ${path.join(this.dir, 'nginx.pid')};`,
    ];
    await exec('nginx', ['-t', ...args]).catch((e: { stderr?: string }) => {
      throw new Error(`nginx -t failed: ${e.stderr ?? String(e)}`);
    });
    const out = fs.openSync(path.join(this.dir, 'nginx.out'), 'a');
    const child = spawn('nginx', args, { stdio: ['ignore', out, out] });
    fs.closeSync(out);
    this.child = child;
    live.set(child, 'SIGTERM');
    child.on('exit', () => live.delete(child));
    await waitFor('nginx to listen', 10_000, async () => {
      const res = await fetch(`http://127.0.0.1:${this.port}/nginx-health`, { signal: AbortSignal.timeout(1000) });
      return res.status === 200;
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGQUIT');
    await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
  }

  errorLog(): string {
    try {
      return fs.readFileSync(path.join(this.dir, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  }
}
