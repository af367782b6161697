// Applicants submitting the newborn bundle (新生儿出生一件事) as the web app does: upload the invoice PDF, then
// submit once with an Idempotency-Key. Whatever goes wrong on the way (connection refused while the server is
// down, a connection cut mid-request by a kill, a 5xx or nginx's 502), the client tries again with the SAME
// key until it gets a 2xx, within bounded attempts and time. Some clients also resend after a 2xx, as a client
// does that never saw the answer: that must return the same application, marked as replayed.
import crypto from 'node:crypto';
import { sleep } from './processes.ts';

export const DEMO_APPLICANT = { username: 'zhangsan', password: 'OneThing-demo-2026' };

const ANSWERS = {
  born_in_province: true,
  parents_married: true,
  register_with: 'mother',
  claim_maternity_expenses: true,
};
const FORM = {
  child: {
    name: '张小宝',
    gender: 'male',
    birthDate: '2026-02-20',
    birthInstitution: '南京市妇幼保健院',
    ethnicity: '汉族',
  },
  mother: { name: '李梅', idNumber: '320106199003082347', phone: '13951000002' },
  father: { name: '张三', idNumber: '32010219880512123X', phone: '13951000001' },
  household: { address: '南京市玄武区北京东路41号' },
  maternity: { bankName: '中国工商银行南京分行', bankAccount: '6222020200112233445' },
  contact: { phone: '13951000001', mailingAddress: '南京市玄武区北京东路41号' },
};
/** The newborn bundle selects seven service items for these answers: seven department cases. */
export const NEWBORN_CASES = 7;

export function newbornSubmission(fileId: string) {
  return {
    bundle: 'newborn',
    answers: ANSWERS,
    form: FORM,
    materials: [
      { id: 'parents-id-cards', kind: 'certificate', consent: true },
      { id: 'parents-household-register', kind: 'certificate', consent: true },
      { id: 'marriage-certificate', kind: 'certificate', consent: true },
      { id: 'maternity-medical-invoices', kind: 'upload', fileIds: [fileId] },
      {
        id: 'discharge-summary',
        kind: 'gap',
        commitment: '本人承诺于 3 月 4 日前补交出院小结，逾期未补交的，同意终止办理。',
      },
    ],
  };
}

export interface Ack {
  id: string;
  number: string;
  /** 201 created now, or 200 replayed: an earlier attempt had committed but its answer never arrived. */
  status: number;
  attempt: number;
}

export interface Outcome {
  key: string;
  client: number;
  upload?: { id: string; sha256: string };
  ack?: Ack;
  attempts: number;
  /** Deliberate resends after the 2xx, each with what it returned. */
  resends: Array<{ id: string; number: string; replayed: boolean }>;
  /** An answer that must never come (a 4xx), or retries exhausted. */
  failure?: string;
}

export interface LoadStats {
  requests: number;
  /** Never reached a server (it was down): safe to retry by any rule. */
  refused: number;
  /** Sent, then the connection died or timed out: the outcome unknown to the client. */
  cutOff: number;
  /** 5xx answers, including nginx's 502 when an upstream died mid-request. */
  serverErrors: number;
  byStatus: Record<string, number>;
}

type Attempt =
  | { kind: 'response'; status: number; replayed: boolean; text: string }
  | { kind: 'refused' }
  | { kind: 'cut'; reason: string };

function causeCode(err: unknown): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string; message?: string } };
  return e.cause?.code ?? e.code ?? e.name ?? 'error';
}

export class Load {
  readonly outcomes: Outcome[] = [];
  readonly stats: LoadStats = { requests: 0, refused: 0, cutOff: 0, serverErrors: 0, byStatus: {} };
  private stopping = false;
  private loops: Promise<void>[] = [];
  private hardDeadline = Number.POSITIVE_INFINITY;

  constructor(
    private readonly opts: {
      /** Where to send each request (a server, or nginx); read per request. */
      baseUrl: () => string;
      token: string;
      clients: number;
      /** Keys are `${prefix}-c<client>-<n>`. */
      prefix: string;
      /** Share of acknowledged submissions that are sent once more, as by a client that lost the answer. */
      resendShare: number;
      /** Attempts per request before the client gives up (and the run fails). */
      maxAttempts: number;
    },
  ) {}

  start() {
    for (let c = 0; c < this.opts.clients; c++) this.loops.push(this.client(c));
  }

  /** No new submissions; the ones under way still retry until they get an answer (at most `graceMs`). */
  async stop(graceMs: number) {
    this.stopping = true;
    this.hardDeadline = Date.now() + graceMs;
    await Promise.all(this.loops);
  }

  get acknowledged(): Outcome[] {
    return this.outcomes.filter((o) => o.ack);
  }

  private async send(
    method: string,
    path: string,
    body: Buffer | string,
    headers: Record<string, string>,
  ): Promise<Attempt> {
    this.stats.requests++;
    try {
      const res = await fetch(`${this.opts.baseUrl()}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.opts.token}`, ...headers },
        body: typeof body === 'string' ? body : new Uint8Array(body),
        signal: AbortSignal.timeout(20_000),
      });
      const text = await res.text();
      this.stats.byStatus[res.status] = (this.stats.byStatus[res.status] ?? 0) + 1;
      if (res.status >= 500) this.stats.serverErrors++;
      return {
        kind: 'response',
        status: res.status,
        replayed: res.headers.get('idempotent-replayed') === 'true',
        text,
      };
    } catch (err) {
      const code = causeCode(err);
      if (code === 'ECONNREFUSED') {
        this.stats.refused++;
        return { kind: 'refused' };
      }
      this.stats.cutOff++;
      return { kind: 'cut', reason: code };
    }
  }

  /** One request until a 2xx: retried with the same body (and so the same Idempotency-Key) on anything else retryable. */
  private async until2xx(
    o: Outcome,
    method: string,
    path: string,
    body: Buffer | string,
    headers: Record<string, string>,
  ) {
    for (let attempt = 1; ; attempt++) {
      if (attempt > this.opts.maxAttempts || Date.now() > this.hardDeadline) {
        o.failure = `no 2xx for ${method} ${path} after ${attempt - 1} attempts`;
        return undefined;
      }
      o.attempts++;
      const r = await this.send(method, path, body, headers);
      if (r.kind === 'response') {
        if (r.status >= 200 && r.status < 300) return { ...r, attempt };
        if (r.status < 500 && r.status !== 408 && r.status !== 429) {
          o.failure = `${method} ${path}: HTTP ${r.status} ${r.text.slice(0, 300)}`;
          return undefined;
        }
      }
      // Backoff with jitter, short enough that a restarting server is found within a second or so.
      await sleep(Math.min(50 * 2 ** Math.min(attempt, 5), 800) + Math.random() * 100);
    }
  }

  private async client(c: number) {
    for (let n = 1; !this.stopping; n++) {
      const key = `${this.opts.prefix}-c${c}-${n}`;
      const o: Outcome = { key, client: c, attempts: 0, resends: [] };
      this.outcomes.push(o);
      // A PDF of its own per submission, so that every acknowledged upload can be found by its bytes.
      const pdf = Buffer.from(`%PDF-1.4\n% ${key} ${crypto.randomUUID()}\n1 0 obj << >> endobj\n%%EOF\n`);
      const up = await this.until2xx(o, 'POST', '/api/v1/files', pdf, {
        'content-type': 'application/pdf',
        'x-file-name': 'invoice.pdf',
      });
      if (!up) return;
      const file = JSON.parse(up.text) as { id: string; sha256: string };
      o.upload = { id: file.id, sha256: file.sha256 };
      const body = JSON.stringify(newbornSubmission(file.id));
      const headers = { 'content-type': 'application/json', 'idempotency-key': key };
      const sub = await this.until2xx(o, 'POST', '/api/v1/applications', body, headers);
      if (!sub) return;
      const view = JSON.parse(sub.text) as { id: string; number: string };
      o.ack = { id: view.id, number: view.number, status: sub.status, attempt: sub.attempt };
      if (Math.random() < this.opts.resendShare) {
        const again = await this.until2xx(o, 'POST', '/api/v1/applications', body, headers);
        if (!again) return;
        const v = JSON.parse(again.text) as { id: string; number: string };
        o.resends.push({ id: v.id, number: v.number, replayed: again.replayed });
      }
    }
  }
}

/** Logs the demo applicant in (password login; sessions live in the database and survive restarts). */
export async function loginApplicant(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(DEMO_APPLICANT),
    signal: AbortSignal.timeout(20_000),
  });
  const body = (await res.json()) as { token?: string };
  if (res.status !== 200 || !body.token)
    throw new Error(`login as ${DEMO_APPLICANT.username}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  return body.token;
}
