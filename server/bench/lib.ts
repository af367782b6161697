// Helpers of the benchmark: a closed-loop load generator, percentiles, child processes, CPU accounting from
// /proc, and the facts of the machine.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

export interface CpuSplit {
  /** CPU ms per operation. */
  serverMs: number;
  postgresMs: number;
  loadGeneratorMs: number;
  otherMs: number;
  /** Share of both cores busy during the window. */
  machineBusyPercent: number;
  stealPercent: number;
}

export interface Percentiles {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of latencies in milliseconds. */
export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { n: 0, mean: NaN, p50: NaN, p95: NaN, p99: NaN, max: NaN };
  const s = Float64Array.from(values).sort();
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
  let sum = 0;
  for (const v of s) sum += v;
  return { n: s.length, mean: sum / s.length, p50: at(50), p95: at(95), p99: at(99), max: s[s.length - 1]! };
}

export interface LoadResult {
  clients: number;
  /** Operations that succeeded. */
  completed: number;
  errors: number;
  firstErrors: string[];
  /** Seconds from the start until the last client stopped (each starts no operation after the deadline). */
  elapsed: number;
  perSecond: number;
  /** Latency of every successful operation, ms. */
  latency: Percentiles;
}

/**
 * A closed loop: `clients` workers, each running `op` back to back until `seconds` have passed. Every
 * latency is kept; a throw is an error (the first few messages are kept).
 */
export async function runLoad(
  clients: number,
  seconds: number,
  op: (client: number, n: number) => Promise<void>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const firstErrors: string[] = [];
  let errors = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let n = 0; performance.now() < deadline; n++) {
        const t = performance.now();
        try {
          await op(client, n);
          latencies.push(performance.now() - t);
        } catch (err) {
          errors++;
          if (firstErrors.length < 5) firstErrors.push(err instanceof Error ? err.message : String(err));
        }
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  return {
    clients,
    completed: latencies.length,
    errors,
    firstErrors,
    elapsed,
    perSecond: latencies.length / elapsed,
    latency: percentiles(latencies),
  };
}

/** Runs `op` `runs` times one after another; the latencies in ms. */
export async function timeSequential(runs: number, op: () => Promise<void>): Promise<Percentiles> {
  const latencies: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await op();
    latencies.push(performance.now() - t);
  }
  return percentiles(latencies);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A child process whose output goes to a file; stop() ends it (SIGTERM, then SIGKILL) and waits. */
export interface Child {
  proc: ChildProcess;
  logFile: string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
  tail(lines?: number): string;
}

export function startChild(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string },
): Child {
  const out = fs.openSync(options.logFile, 'a');
  const proc = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  let stopping: Promise<void> | undefined;
  return {
    proc,
    logFile: options.logFile,
    exited,
    stop() {
      stopping ??= (async () => {
        if (proc.exitCode !== null || proc.signalCode !== null) return;
        proc.kill('SIGTERM');
        const done = await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]);
        if (!done) {
          proc.kill('SIGKILL');
          await exited;
        }
      })();
      return stopping;
    },
    tail(lines = 30) {
      try {
        return fs.readFileSync(options.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
  };
}

export async function waitFor(url: string, child: Child, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.proc.exitCode !== null)
      throw new Error(`the server exited with ${child.proc.exitCode}:\n${child.tail()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} not ready after ${timeoutMs / 1000} s:\n${child.tail()}`);
    await sleep(250);
  }
}

// ---- CPU time from /proc (Linux) ----

const TICKS = 100; // USER_HZ on Linux

function statFields(pid: number): string[] | undefined {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces.
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds of one process, or NaN when it cannot be read. */
export function cpuSeconds(pid: number): number {
  const f = statFields(pid);
  // After the command: state(0) ppid(1) … utime(11) stime(12).
  return f ? (Number(f[11]) + Number(f[12])) / TICKS : NaN;
}

export function parentOf(pid: number): number | undefined {
  const f = statFields(pid);
  return f ? Number(f[1]) : undefined;
}

/** CPU seconds of a process and its direct children (PostgreSQL: the postmaster and its backends). */
export function treeCpuSeconds(root: number): number {
  let total = cpuSeconds(root);
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid !== root && parentOf(pid) === root) {
      const c = cpuSeconds(pid);
      if (!Number.isNaN(c)) total += c;
    }
  }
  return total;
}

// ---- the machine ----

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  kernel: string;
  node: string;
  loadAverage: string;
}

export function machine(): Machine {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpu = m[1]!.trim();
  } catch {
    // not Linux
  }
  let pretty = `${os.type()} ${os.release()}`;
  try {
    const m = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(fs.readFileSync('/etc/os-release', 'utf8'));
    if (m) pretty = m[1]!;
  } catch {
    // no os-release
  }
  return {
    cpu,
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: pretty,
    kernel: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverage: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / '),
  };
}

/** Other processes using the CPU now (by CPU time over one second), to say whether the machine was quiet. */
export async function busyProcesses(
  excluded: Set<number>,
  windowMs = 1000,
): Promise<Array<{ pid: number; command: string; cpuPercent: number }>> {
  const pids = fs
    .readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number);
  const before = new Map(pids.map((p) => [p, cpuSeconds(p)]));
  await sleep(windowMs);
  const out: Array<{ pid: number; command: string; cpuPercent: number }> = [];
  for (const [pid, b] of before) {
    if (excluded.has(pid) || Number.isNaN(b)) continue;
    const a = cpuSeconds(pid);
    const pct = ((a - b) / (windowMs / 1000)) * 100;
    if (pct >= 5) {
      let command = '?';
      try {
        command =
          fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim().slice(0, 80) ||
          `[${fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim()}]`;
      } catch {
        // gone
      }
      out.push({ pid, command, cpuPercent: Math.round(pct) });
    }
  }
  return out.sort((x, y) => y.cpuPercent - x.cpuPercent);
}

/** Machine-wide CPU seconds from /proc/stat: busy (user, nice, system, irq, softirq), idle, steal. */
export function machineCpu(): { busy: number; idle: number; steal: number } {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number) as number[];
    return {
      busy: (user! + nice! + system! + irq! + softirq!) / TICKS,
      idle: (idle! + iowait!) / TICKS,
      steal: steal! / TICKS,
    };
  } catch {
    return { busy: NaN, idle: NaN, steal: NaN };
  }
}
