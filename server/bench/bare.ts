// The baseline: the rows one real submission writes (read back from a submission the server made), written
// again with plain INSERTs in one transaction, no HTTP, no validation, no reads: 1 application, its cases,
// one case event per case, one audit row per case and one for the application (each the first of its
// subject's chain, hashed as platform/audit.ts hashes: an HMAC-SM3, here under the development key, which costs
// what any key costs), 1 notification.
import crypto from 'node:crypto';
import { auditMacOf } from '../src/platform/audit.ts';
import { developmentAuditKeys, signingKey } from '../src/platform/audit-keys.ts';

export type Query = (text: string, params?: unknown[]) => Promise<{ rows: any[] }>;

export interface SubmissionTemplate {
  application: {
    bundleCode: string;
    bundleVersion: number;
    regionCode: string;
    channel: string;
    status: string;
    answers: string;
    form: string;
    materials: string;
    declaredGaps: string;
    promisedDate: string | null;
  };
  cases: Array<{
    itemCode: string;
    itemVersion: number;
    departmentCode: string;
    regionCode: string;
    status: string;
    dependsOn: string[];
    data: string;
    outputs: string;
    promisedDays: number;
    statutoryDays: number | null;
    received: boolean;
    event: { action: string; fromStatus: string | null; toStatus: string; data: string };
    audit: { action: string; data: Record<string, unknown> };
  }>;
  applicationAudit: { action: string; data: Record<string, unknown> };
  notification: { kind: string; payload: Record<string, unknown> };
  /** Rows per table the real submission wrote (from counting before and after). */
  rows: Record<string, number>;
  /** applications.submitted_by exists (the identity migration): the acting account, here the applicant. */
  submittedBy: boolean;
}

/** Reads back what the server wrote for one application. */
export async function readTemplate(
  q: Query,
  applicationId: string,
  rows: Record<string, number>,
): Promise<SubmissionTemplate> {
  const [a] = (
    await q(
      `SELECT bundle_code, bundle_version, region_code, channel, status, answers::text AS answers, form::text AS form, materials::text AS materials,
              declared_gaps::text AS declared_gaps, promised_date::text AS promised_date
         FROM applications WHERE id = $1`,
      [applicationId],
    )
  ).rows;
  if (!a) throw new Error(`application ${applicationId} not found`);
  const cases = (
    await q(
      `SELECT c.id::text AS id, c.item_code, c.item_version, c.department_code, c.region_code, c.status, c.depends_on, c.data::text AS data, c.outputs::text AS outputs,
              c.promised_days, c.statutory_days, c.received_on IS NOT NULL AS received
         FROM cases c WHERE c.application_id = $1 ORDER BY c.created_at, c.item_code`,
      [applicationId],
    )
  ).rows;
  const events = (
    await q(
      `SELECT case_id::text AS case_id, action, from_status, to_status, data::text AS data FROM case_events WHERE case_id = ANY($1::uuid[])`,
      [cases.map((c) => c.id)],
    )
  ).rows;
  const audits = (
    await q(`SELECT subject_id, action, data FROM audit_events WHERE subject_id = ANY($1::text[]) ORDER BY id`, [
      [applicationId, ...cases.map((c) => c.id)],
    ])
  ).rows;
  const [n] = (await q(`SELECT kind, payload FROM notifications WHERE application_id = $1`, [applicationId])).rows;
  const parse = (v: unknown) =>
    typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : (v as Record<string, unknown>);
  const appAudit = audits.find((x) => x.subject_id === applicationId);
  if (!appAudit || !n) throw new Error('the submission wrote no application audit row or no notification');
  const { rows: cols } = await q(
    `SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'applications' AND column_name = 'submitted_by'`,
  );
  return {
    submittedBy: cols.length > 0,
    application: {
      bundleCode: a.bundle_code,
      bundleVersion: Number(a.bundle_version),
      regionCode: a.region_code,
      channel: a.channel,
      status: a.status,
      answers: a.answers,
      form: a.form,
      materials: a.materials,
      declaredGaps: a.declared_gaps,
      promisedDate: a.promised_date,
    },
    cases: cases.map((c) => {
      const e = events.find((x) => x.case_id === c.id);
      const au = audits.find((x) => x.subject_id === c.id);
      if (!e || !au) throw new Error(`case ${c.id} has no event or no audit row`);
      return {
        itemCode: c.item_code,
        itemVersion: Number(c.item_version),
        departmentCode: c.department_code,
        regionCode: c.region_code,
        status: c.status,
        dependsOn: c.depends_on,
        data: c.data,
        outputs: c.outputs,
        promisedDays: Number(c.promised_days),
        statutoryDays: c.statutory_days === null ? null : Number(c.statutory_days),
        received: Boolean(c.received),
        event: { action: e.action, fromStatus: e.from_status, toStatus: e.to_status, data: e.data },
        audit: { action: au.action, data: parse(au.data) },
      };
    }),
    applicationAudit: { action: appAudit.action, data: parse(appAudit.data) },
    notification: { kind: n.kind, payload: parse(n.payload) },
    rows,
  };
}

function values(rows: number, cols: number, casts: string[] = []): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    out.push(`(${Array.from({ length: cols }, (_, c) => `$${r * cols + c + 1}${casts[c] ?? ''}`).join(', ')})`);
  }
  return out.join(', ');
}

/** Writers of one submission's rows: as a transaction of five INSERTs, or as one statement. */
export function bareWriter(t: SubmissionTemplate, today: string) {
  const nCases = t.cases.length;
  const appSql = `INSERT INTO applications (id, number, applicant_id, bundle_code, bundle_version, region_code, channel, status, answers, form, materials,
                    declared_gaps, idempotency_key, request_sha256, submitted_on, promised_date${t.submittedBy ? ', submitted_by' : ''})
                  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11::jsonb, $12::jsonb, $13, $14, $15::date, $16::date${t.submittedBy ? ', $3' : ''})`;
  const caseSql = `INSERT INTO cases (id, application_id, item_code, item_version, department_code, region_code, status, depends_on, data, outputs,
                     promised_days, statutory_days, received_on)
                   VALUES ${values(nCases, 13, ['', '', '', '', '', '', '', '::text[]', '::jsonb', '::jsonb', '', '', '::date'])}`;
  const eventSql = `INSERT INTO case_events (case_id, on_day, actor_id, action, from_status, to_status, data)
                    VALUES ${values(nCases, 7, ['', '::date', '', '', '', '', '::jsonb'])}`;
  const auditSql = `INSERT INTO audit_events (at, actor_id, action, subject_type, subject_id, data, request_id, seq, prev_hash, hash, key_id)
                    VALUES ${values(nCases + 1, 11, ['', '', '', '', '', '::jsonb'])}`;
  const auditKey = signingKey(developmentAuditKeys());
  const notificationSql = `INSERT INTO notifications (id, recipient_id, application_id, case_id, kind, payload) VALUES ($1, $2, $3, NULL, $4, $5::jsonb)`;
  const day = today.replaceAll('-', '');

  /** The five INSERTs of one submission with their parameters. */
  function statements(applicantId: string, client: number, n: number): Array<[string, unknown[]]> {
    const id = crypto.randomUUID();
    const number = `YJS${day}B${client}-${n}-${crypto.randomBytes(3).toString('hex')}`;
    const requestId = crypto.randomUUID();
    const a = t.application;
    const out: Array<[string, unknown[]]> = [];
    out.push([
      appSql,
      [
        id,
        number,
        applicantId,
        a.bundleCode,
        a.bundleVersion,
        a.regionCode,
        a.channel,
        a.status,
        a.answers,
        a.form,
        a.materials,
        a.declaredGaps,
        `bare-${requestId}`,
        crypto.randomBytes(32).toString('hex'),
        today,
        a.promisedDate,
      ],
    ]);
    const caseIds = t.cases.map(() => crypto.randomUUID());
    out.push([
      caseSql,
      t.cases.flatMap((c, i) => [
        caseIds[i],
        id,
        c.itemCode,
        c.itemVersion,
        c.departmentCode,
        c.regionCode,
        c.status,
        c.dependsOn,
        c.data,
        c.outputs,
        c.promisedDays,
        c.statutoryDays,
        c.received ? today : null,
      ]),
    ]);
    out.push([
      eventSql,
      t.cases.flatMap((c, i) => [
        caseIds[i],
        today,
        applicantId,
        c.event.action,
        c.event.fromStatus,
        c.event.toStatus,
        c.event.data,
      ]),
    ]);
    const at = new Date();
    const audit = [
      ...t.cases.map((c, i) => ({
        action: c.audit.action,
        subjectType: 'case',
        subjectId: caseIds[i]!,
        data: { ...c.audit.data, application: number },
      })),
      {
        action: t.applicationAudit.action,
        subjectType: 'application',
        subjectId: id,
        data: { ...t.applicationAudit.data, number },
      },
    ];
    out.push([
      auditSql,
      audit.flatMap((x) => {
        const hash = auditMacOf(
          {
            subjectType: x.subjectType,
            subjectId: x.subjectId,
            seq: 1,
            at: at.toISOString(),
            actorId: applicantId,
            action: x.action,
            data: x.data,
            requestId,
            prevHash: null,
          },
          auditKey,
        );
        return [
          at,
          applicantId,
          x.action,
          x.subjectType,
          x.subjectId,
          JSON.stringify(x.data),
          requestId,
          1,
          null,
          hash,
          auditKey.id,
        ];
      }),
    ]);
    out.push([
      notificationSql,
      [
        crypto.randomUUID(),
        applicantId,
        id,
        t.notification.kind,
        JSON.stringify({ ...t.notification.payload, applicationNumber: number }),
      ],
    ]);
    return out;
  }

  return {
    /** The five INSERTs one after the other, through `q` bound to one open transaction. */
    async inTransaction(q: Query, applicantId: string, client: number, n: number): Promise<void> {
      for (const [text, params] of statements(applicantId, client, n)) await q(text, params);
    },
    /** The same INSERTs as one statement of data-modifying CTEs (atomic on its own), as the server writes them. */
    async oneStatement(q: Query, applicantId: string, client: number, n: number): Promise<void> {
      const params: unknown[] = [];
      const ctes = statements(applicantId, client, n).map(([text, p], i) => {
        const offset = params.length;
        params.push(...p);
        return `w${i} AS (${text.replace(/\$(\d+)/g, (_, k: string) => `$${Number(k) + offset}`)})`;
      });
      await q(`WITH ${ctes.join(', ')} SELECT 1`, params);
    },
  };
}

/** Statements one bare transaction sends, BEGIN and COMMIT included (the one-statement variant: 1). */
export const BARE_STATEMENTS = 7;
