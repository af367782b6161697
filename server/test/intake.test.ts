// The path the policy is about, through the API: the newborn bundle from the one-time notice to a completed
// application, each case processed by its own department on the statutory clock, with a 补正 round that
// stops the clock, a 容缺 acceptance whose missed deadline escalates, dependent cases that start only when
// their prerequisite concludes and receive its output, an idempotent retry, and strangers getting 404.
import type { ApplicationView, Draft, Guidance, Prefill } from '@onething/shared/applications';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseActionResult, CaseQueue } from '@onething/shared/cases';
import { fixedClock } from '../src/platform/clock.ts';
import { verifyAuditChain } from '../src/ops/audit-verify.ts';
import {
  bearer,
  createTestApp,
  loginHeaders,
  NEWBORN_MATERNITY_ANSWERS as ANSWERS,
  NEWBORN_MATERNITY_FORM as FORM,
  problem,
  uploadFile,
  type TestApp,
} from './helpers.ts';

const clock = fixedClock('2026-03-02'); // a Monday
let t: TestApp;
const H: Record<string, Record<string, string>> = {};

async function call(
  user: string,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) {
  return t.app.inject({
    method,
    url,
    headers: { ...H[user], ...headers },
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
}

async function act(user: string, caseId: string, body: Record<string, unknown>) {
  const res = await call(user, 'POST', `/api/v1/cases/${caseId}/actions`, body);
  expect(res.statusCode, `${user} ${String(body.action)}: ${res.body}`).toBe(200);
  return res.json() as CaseActionResult;
}

async function process(user: string, caseId: string) {
  await act(user, caseId, { action: 'accept' });
  await act(user, caseId, { action: 'start_review' });
  await act(user, caseId, { action: 'decide', decision: 'approve' });
  return act(user, caseId, { action: 'conclude' });
}

let pdfId: string;
let application: ApplicationView;
const byItem = (code: string) => application.cases.find((c) => c.item.code === code)!;
const refresh = async () => {
  application = (await call('zhangsan', 'GET', `/api/v1/applications/${application.id}`)).json() as ApplicationView;
};

function submission(
  materials: unknown[] = [
    { id: 'parents-id-cards', kind: 'certificate', consent: true },
    { id: 'parents-household-register', kind: 'certificate', consent: true },
    { id: 'marriage-certificate', kind: 'certificate', consent: true },
    { id: 'maternity-medical-invoices', kind: 'upload', fileIds: [pdfId] },
    {
      id: 'discharge-summary',
      kind: 'gap',
      commitment: '本人承诺于 3 月 4 日前补交出院小结，逾期未补交的，同意终止办理。',
    },
  ],
) {
  return { bundle: 'newborn', answers: ANSWERS, form: FORM, materials };
}

beforeAll(async () => {
  // This scenario submits more often in a minute, as one applicant, than the default limit allows (see the last test).
  t = await createTestApp({ clock, env: { SUBMISSIONS_PER_MINUTE: '100' } });
  Object.assign(
    H,
    await loginHeaders(
      t,
      [
        'zhangsan',
        'jinling-foods',
        'reviewer.health',
        'reviewer.police',
        'reviewer.hrss',
        'reviewer.medical-insurance',
        'admin',
      ],
      { 'accept-language': 'en' },
    ),
  );
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('1 0 obj << >> endobj\n%%EOF\n')]);
  pdfId = await uploadFile(t, H.zhangsan!, pdf, 'application/pdf', '分娩费用票据.pdf');
});
afterAll(async () => t?.close());

describe('before submitting', () => {
  it('prefills the shared form from the profile, each value with its source', async () => {
    const res = (await call('zhangsan', 'GET', '/api/v1/applications/prefill?bundle=newborn')).json() as Prefill;
    expect(res.values.father).toMatchObject({ name: '张三', idNumber: '32010219880512123X' });
    expect(res.values.mother).toMatchObject({ name: '李梅', idNumber: '320106199003082347' });
    expect(res.sources['mother.name']?.source).toBe('民政 婚姻登记信息');
  });

  it('tells once which items, materials and departments apply, and why an item is left out', async () => {
    const g = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/catalogue/bundles/newborn/guidance',
        payload: { answers: ANSWERS },
      })
    ).json() as Guidance;
    expect(g.unanswered).toEqual([]);
    expect(g.items.filter((i) => i.included)).toHaveLength(7);
    expect(g.departments.sort()).toEqual(['nj-health', 'nj-hrss', 'nj-medical-insurance', 'nj-public-security']);
    const provision = Object.fromEntries(g.materials.map((m) => [m.id, m.provision]));
    expect(provision).toMatchObject({
      'parents-id-cards': 'certificate',
      'parents-household-register': 'certificate',
      'newborn-birth-medical-certificate': 'produced',
      'newborn-household-register': 'produced',
      'maternity-medical-invoices': 'upload',
    });
    expect(g.materials.find((m) => m.id === 'discharge-summary')?.toleratedGapAllowed).toBe(true);
    const partial = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/catalogue/bundles/newborn/guidance',
        payload: { answers: { born_in_province: false } },
      })
    ).json() as Guidance;
    expect(partial.unanswered).toEqual(['parents_married', 'claim_maternity_expenses']);
    const out = partial.items.find((i) => i.code === 'birth-medical-certificate')!;
    expect(out.included).toBe(false);
    expect(out.reason.zh).toContain('不需要办理');
  });
});

describe('submitting', () => {
  it('refuses a bad submission, naming each field, and writes nothing', async () => {
    const count = async () =>
      (
        await t.db.query<{ n: number }>(
          'SELECT (SELECT count(*) FROM applications)::int + (SELECT count(*) FROM cases)::int AS n',
        )
      ).rows[0]!.n;
    const before = await count();
    const noName = await call('zhangsan', 'POST', '/api/v1/applications', {
      ...submission(),
      form: { ...FORM, child: { ...FORM.child, name: undefined }, father: { ...FORM.father, idNumber: '123' } },
    });
    const p = problem(noName);
    expect(p.status).toBe(422);
    expect(p.errors?.map((e) => e.pointer)).toEqual(
      expect.arrayContaining(['/form/child/name', '/form/father/idNumber']),
    );
    const unlisted = problem(
      await call(
        'zhangsan',
        'POST',
        '/api/v1/applications',
        submission([{ id: 'passport', kind: 'certificate', consent: true }]),
      ),
    );
    expect(unlisted.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: '/materials/0/id', code: 'applications.unlisted_material' }),
        expect.objectContaining({ pointer: '/materials', code: 'applications.material_missing' }),
      ]),
    );
    const gapNotAllowed = problem(
      await call(
        'zhangsan',
        'POST',
        '/api/v1/applications',
        submission([{ id: 'maternity-medical-invoices', kind: 'gap', commitment: 'later' }]),
      ),
    );
    expect(gapNotAllowed.errors?.[0]).toMatchObject({
      pointer: '/materials/0/kind',
      code: 'applications.gap_not_allowed',
    });
    const badAnswer = problem(
      await call('zhangsan', 'POST', '/api/v1/applications', {
        ...submission(),
        answers: { ...ANSWERS, register_with: 'aunt', extra: true },
      }),
    );
    expect(badAnswer.errors?.map((e) => e.pointer).sort()).toEqual(['/answers/extra', '/answers/register_with']);
    expect(
      problem(await call('zhangsan', 'POST', '/api/v1/applications', { ...submission(), bundle: 'no-such-bundle' }))
        .code,
    ).toBe('catalogue.bundle_not_found');
    expect(problem(await call('zhangsan', 'POST', '/api/v1/applications', { ...submission(), version: 99 })).code).toBe(
      'catalogue.version_not_found',
    );
    const stranger = problem(
      await call(
        'zhangsan',
        'POST',
        '/api/v1/applications',
        submission([
          { id: 'maternity-medical-invoices', kind: 'upload', fileIds: ['00000000-0000-4000-8000-000000000000'] },
        ]),
      ),
    );
    expect(stranger.errors?.[0]).toMatchObject({
      pointer: '/materials/0/fileIds/0',
      code: 'applications.unknown_file',
    });
    expect(problem(await call('reviewer.health', 'POST', '/api/v1/applications', submission())).status).toBe(403);
    expect(await count()).toBe(before);
  });

  it('creates one application and one case per item in one submission; a retry with the same key creates nothing', async () => {
    const res = await call('zhangsan', 'POST', '/api/v1/applications', submission(), {
      'idempotency-key': 'newborn-2026-03-02-0001',
    });
    expect(res.statusCode, res.body).toBe(201);
    application = res.json() as ApplicationView;
    expect(application.number).toMatch(/^YJS20260302\d{8}$/);
    expect(application.cases).toHaveLength(7);
    expect(Object.fromEntries(application.cases.map((c) => [c.item.code, c.status]))).toEqual({
      'birth-medical-certificate': 'pending',
      'vaccination-certificate': 'pending',
      'household-registration': 'waiting',
      'social-security-card': 'waiting',
      'resident-medical-insurance': 'waiting',
      'maternity-expense-reimbursement': 'pending',
      'parenting-guidance-registration': 'pending',
    });
    // Promised along the graph: 1 (certificate) + 2 (household) + 2 (card or insurance) working days.
    expect(application.promisedDate).toBe('2026-03-09');

    const again = await call('zhangsan', 'POST', '/api/v1/applications', submission(), {
      'idempotency-key': 'newborn-2026-03-02-0001',
    });
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((again.json() as ApplicationView).id).toBe(application.id);
    // The view answered at submission is built from the rows just written; it must be what a read gives.
    expect(again.json()).toEqual(application);
    const read = await call('zhangsan', 'GET', `/api/v1/applications/${application.id}`);
    expect(read.json()).toEqual(application);
    const counts = await t.db.query<{ a: number; c: number }>(
      `SELECT (SELECT count(*) FROM applications)::int AS a, (SELECT count(*) FROM cases WHERE application_id = $1)::int AS c`,
      [application.id],
    );
    expect(counts.rows[0]).toEqual({ a: 1, c: 7 });
    const otherBody = problem(
      await call(
        'zhangsan',
        'POST',
        '/api/v1/applications',
        { ...submission(), answers: { ...ANSWERS, claim_maternity_expenses: false } },
        { 'idempotency-key': 'newborn-2026-03-02-0001' },
      ),
    );
    expect(otherBody.code).toBe('applications.idempotency_mismatch');
    // A body under the used key that its checks would refuse: the earlier submission under the key decides.
    const refusedBody = problem(
      await call(
        'zhangsan',
        'POST',
        '/api/v1/applications',
        { ...submission(), form: {} },
        { 'idempotency-key': 'newborn-2026-03-02-0001' },
      ),
    );
    expect(refusedBody.code).toBe('applications.idempotency_mismatch');
    expect((await t.db.query<{ a: number }>('SELECT count(*)::int AS a FROM applications')).rows[0]).toEqual({ a: 1 });
  });

  it("hides someone else's application and another department's case behind a 404", async () => {
    expect((await call('jinling-foods', 'GET', `/api/v1/applications/${application.id}`)).statusCode).toBe(404);
    expect(
      (await call('jinling-foods', 'GET', `/api/v1/cases/${byItem('birth-medical-certificate').id}`)).statusCode,
    ).toBe(404);
    expect(
      (await call('reviewer.police', 'GET', `/api/v1/cases/${byItem('birth-medical-certificate').id}`)).statusCode,
    ).toBe(404);
    const foreign = await call(
      'reviewer.police',
      'POST',
      `/api/v1/cases/${byItem('birth-medical-certificate').id}/actions`,
      { action: 'accept' },
    );
    expect(problem(foreign)).toMatchObject({ status: 404, code: 'cases.not_found' });
    const queue = (await call('reviewer.police', 'GET', '/api/v1/cases')).json() as unknown[];
    expect(queue).toEqual([]); // the household registration is still waiting for its prerequisite
    const health = (await call('reviewer.health', 'GET', '/api/v1/cases')).json() as CaseQueue;
    expect(health.map((c) => c.itemCode).sort()).toEqual([
      'birth-medical-certificate',
      'parenting-guidance-registration',
      'vaccination-certificate',
    ]);
  });
});

describe('department processing on the statutory clock', () => {
  it('refuses an illegal transition and an action that is not the caller’s', async () => {
    const bmc = byItem('birth-medical-certificate').id;
    // Said in words, in the caller's language: the state and the action by their names, not their codes.
    expect(
      problem(await call('reviewer.health', 'POST', `/api/v1/cases/${bmc}/actions`, { action: 'conclude' })),
    ).toMatchObject({
      status: 409,
      code: 'cases.invalid_transition',
      title: 'The case is pending acceptance: “conclude” is not possible now',
    });
    expect(
      problem(
        await call(
          'reviewer.health',
          'POST',
          `/api/v1/cases/${bmc}/actions`,
          { action: 'conclude' },
          { 'accept-language': 'zh-CN' },
        ),
      ).title,
    ).toBe('办件当前为“待受理”，不能“办结”');
    expect(problem(await call('zhangsan', 'POST', `/api/v1/cases/${bmc}/actions`, { action: 'accept' })).status).toBe(
      403,
    );
    expect(
      problem(await call('reviewer.health', 'POST', `/api/v1/cases/${bmc}/actions`, { action: 'refuse', reason: '  ' }))
        .errors?.[0]?.pointer,
    ).toBe('/reason');
  });

  it('starts a dependent case only when its prerequisite concludes, handing it the output', async () => {
    const done = await process('reviewer.health', byItem('birth-medical-certificate').id);
    expect(done.status).toBe('concluded');
    await refresh();
    const hukou = byItem('household-registration');
    expect(hukou.status).toBe('pending');
    expect(hukou.inputs).toEqual([
      expect.objectContaining({
        certificateType: 'birth-medical-certificate',
        number: `${application.number}-birth-medical-certificate`,
      }),
    ]);
    expect(byItem('social-security-card').status).toBe('waiting');
    await process('reviewer.health', byItem('vaccination-certificate').id);
    await process('reviewer.health', byItem('parenting-guidance-registration').id);
  });

  it('accepts with a tolerated gap (容缺) whose missed deadline escalates', async () => {
    const maternity = byItem('maternity-expense-reimbursement').id;
    const tooLate = problem(
      await call('reviewer.medical-insurance', 'POST', `/api/v1/cases/${maternity}/actions`, {
        action: 'accept_with_gap',
        materials: ['discharge-summary'],
        commitment: '承诺补交出院小结',
        dueDate: '2026-04-30',
      }),
    );
    expect(tooLate.errors?.[0]?.pointer).toBe('/dueDate');
    const notDeclared = problem(
      await call('reviewer.medical-insurance', 'POST', `/api/v1/cases/${maternity}/actions`, {
        action: 'accept_with_gap',
        materials: ['maternity-medical-invoices'],
        commitment: 'x',
        dueDate: '2026-03-04',
      }),
    );
    expect(notDeclared.code).toBe('cases.invalid_gap');
    const accepted = await act('reviewer.medical-insurance', maternity, {
      action: 'accept_with_gap',
      materials: ['discharge-summary'],
      commitment: '申请人承诺 3 月 4 日前补交出院小结',
      dueDate: '2026-03-04',
    });
    expect(accepted).toMatchObject({ status: 'accepted', dueDate: '2026-03-09' });
    await act('reviewer.medical-insurance', maternity, { action: 'start_review' });
  });

  it('stops the clock during 补正 and moves the due date by exactly the paused working days', async () => {
    const hukou = byItem('household-registration').id;
    const accepted = await act('reviewer.police', hukou, { action: 'accept' });
    expect(accepted.dueDate).toBe('2026-03-04'); // 2 working days after Monday 2 March
    await act('reviewer.police', hukou, { action: 'start_review' });
    clock.set('2026-03-03');
    const notice = {
      action: 'request_correction',
      problems: [
        { material: 'parents-household-register', problem: '户口簿首页影像不清晰，请重新提供' },
        { material: 'parents-id-cards', problem: '父亲身份证已过有效期' },
      ],
      note: '请一次补齐以上材料',
    };
    expect((await act('reviewer.police', hukou, notice)).status).toBe('awaiting_correction');
    await refresh();
    const inbox = (await call('zhangsan', 'GET', '/api/v1/notifications?limit=200')).json() as Array<{
      kind: string;
      payload: { problems?: unknown[] };
    }>;
    expect(inbox.find((n) => n.kind === 'case.request_correction')?.payload.problems).toHaveLength(2);

    // Two days later the sweep finds the 容缺 deadline (4 March) missed and escalates; the paused case is not overdue.
    clock.set('2026-03-05');
    const sweep = await t.app.services.cases.sweep();
    expect(sweep.escalated).toBe(1);
    await refresh();
    const maternity = byItem('maternity-expense-reimbursement');
    expect(maternity.toleratedGap?.status).toBe('overdue');
    expect(maternity.timeline.map((e) => e.action)).toContain('gap_overdue');
    expect(
      (
        await t.db.query(`SELECT 1 FROM audit_events WHERE action = 'case.gap_overdue' AND subject_id = $1`, [
          maternity.id,
        ])
      ).rows,
    ).toHaveLength(1);
    expect(byItem('household-registration')).toMatchObject({
      status: 'awaiting_correction',
      // The applicant sees since when, and for how many working days so far: 4 and 5 March.
      pausedSince: '2026-03-03',
      pausedWorkdays: 2,
    });
    expect(
      (await t.db.query<{ overdue: boolean }>(`SELECT overdue FROM cases WHERE id = $1`, [hukou])).rows[0]?.overdue,
    ).toBe(false);

    // Supplied on Friday 6 March: 4, 5 and 6 March were paused, three working days.
    clock.set('2026-03-06');
    const supplied = await act('zhangsan', hukou, {
      action: 'supply_correction',
      materials: [
        { id: 'parents-household-register', kind: 'certificate', consent: true },
        { id: 'parents-id-cards', kind: 'certificate', consent: true },
      ],
    });
    expect(supplied.status).toBe('reviewing');
    expect(supplied.dueDate).toBe('2026-03-09');
    const check = (
      await call('reviewer.police', 'GET', '/api/v1/calendar/deadline?start=2026-03-04&workdays=3')
    ).json() as { due: string };
    expect(supplied.dueDate).toBe(check.due);
    const viaPause = (
      await call(
        'reviewer.police',
        'GET',
        '/api/v1/calendar/deadline?start=2026-03-02&workdays=2&pauses=2026-03-03/2026-03-06',
      )
    ).json() as { due: string };
    expect(supplied.dueDate).toBe(viaPause.due);
    await refresh();
    expect(byItem('household-registration')).toMatchObject({ pausedSince: null, pausedWorkdays: 3 });
    await act('reviewer.police', hukou, { action: 'decide', decision: 'approve' });
    await act('reviewer.police', hukou, { action: 'conclude' });
    await refresh();
    expect(byItem('social-security-card').status).toBe('pending');
    expect(
      byItem('resident-medical-insurance')
        .inputs.map((i) => i.certificateType)
        .sort(),
    ).toEqual(['household-register']);
  });

  it('completes the application when every department has concluded', async () => {
    clock.set('2026-03-09');
    await process('reviewer.hrss', byItem('social-security-card').id);
    await process('reviewer.medical-insurance', byItem('resident-medical-insurance').id);
    const maternity = byItem('maternity-expense-reimbursement').id;
    await act('zhangsan', maternity, {
      action: 'supply_gap',
      materials: [{ id: 'discharge-summary', kind: 'upload', fileIds: [pdfId] }],
    });
    await act('reviewer.medical-insurance', maternity, { action: 'decide', decision: 'approve' });
    await act('reviewer.medical-insurance', maternity, { action: 'conclude' });
    await refresh();
    expect(application.status).toBe('completed');
    expect(application.cases.every((c) => c.status === 'concluded')).toBe(true);
    const hukou = byItem('household-registration');
    expect(hukou.timeline.map((e) => e.action)).toEqual([
      'submit',
      'release',
      'accept',
      'start_review',
      'request_correction',
      'supply_correction',
      'decide',
      'conclude',
    ]);
    const inbox = (await call('zhangsan', 'GET', '/api/v1/notifications?limit=200')).json() as Array<{ kind: string }>;
    expect(inbox[0]?.kind).toBe('application.completed');
    expect(inbox.length).toBeGreaterThanOrEqual(30);
    expect(problem(await call('zhangsan', 'POST', `/api/v1/applications/${application.id}/withdraw`, {})).code).toBe(
      'applications.not_open',
    );
  });

  it('leaves an audit chain that verifies, and breaks when one row is edited', async () => {
    const ok = await verifyAuditChain(t.db);
    expect(ok.broken).toEqual([]);
    const { rows } = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE subject_type = 'case'`,
    );
    expect(rows[0]!.n).toBeGreaterThanOrEqual(7 * 5);
    // Someone with the database's owner rights edits one decision: the chain names that row.
    const victim = Number(
      (
        await t.db.query<{ id: number }>(
          `SELECT id FROM audit_events WHERE action = 'case.decide' AND subject_id = $1`,
          [byItem('household-registration').id],
        )
      ).rows[0]!.id,
    );
    await t.db.exec(`ALTER TABLE audit_events DISABLE TRIGGER USER`);
    await t.db.query(`UPDATE audit_events SET data = jsonb_set(data, '{decision}', '"deny"') WHERE id = $1`, [victim]);
    await t.db.exec(`ALTER TABLE audit_events ENABLE TRIGGER USER`);
    const broken = await verifyAuditChain(t.db);
    expect(broken.broken).toEqual([expect.objectContaining({ id: victim, reason: 'hash_mismatch' })]);
  });
});

describe('drafts and withdrawal', () => {
  it('saves a draft, resumes it, submits it, and withdraws the application', async () => {
    clock.set('2026-03-10');
    const draft = (
      await call('zhangsan', 'POST', '/api/v1/application-drafts', {
        bundle: 'newborn',
        answers: { born_in_province: true },
      })
    ).json() as Draft;
    expect((await call('jinling-foods', 'GET', `/api/v1/application-drafts/${draft.id}`)).statusCode).toBe(404);
    await call('zhangsan', 'PUT', `/api/v1/application-drafts/${draft.id}`, { answers: ANSWERS, form: FORM });
    const resumed = (await call('zhangsan', 'GET', `/api/v1/application-drafts/${draft.id}`)).json() as Draft;
    expect(resumed.answers).toEqual(ANSWERS);
    const res = await call('zhangsan', 'POST', '/api/v1/applications', { ...submission(), draftId: draft.id });
    expect(res.statusCode, res.body).toBe(201);
    expect((await call('zhangsan', 'GET', `/api/v1/application-drafts/${draft.id}`)).statusCode).toBe(404);
    const id = (res.json() as ApplicationView).id;
    const withdrawn = (
      await call('zhangsan', 'POST', `/api/v1/applications/${id}/withdraw`, { reason: '改为线下办理' })
    ).json() as ApplicationView;
    expect(withdrawn.status).toBe('withdrawn');
    expect(withdrawn.cases.every((c) => c.status === 'withdrawn')).toBe(true);
  });

  it('answers five simultaneous submissions with one key with one application (201 once, the rest replays)', async () => {
    const key = 'newborn-concurrent-0001';
    const before = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM applications')).rows[0]!.n;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        call('zhangsan', 'POST', '/api/v1/applications', submission(), { 'idempotency-key': key }),
      ),
    );
    expect(answers.map((r) => r.statusCode).sort(), answers.map((r) => r.body).join('\n')).toEqual([
      200, 200, 200, 200, 201,
    ]);
    expect(new Set(answers.map((r) => (r.json() as ApplicationView).id)).size).toBe(1);
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM applications')).rows[0]!.n).toBe(
      before + 1,
    );
  });

  it('joins the audit rows of an upload and of a draft read in full to the request that made them', async () => {
    const headers = { ...H.zhangsan, 'x-request-id': 'intake-upload-1' };
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('%%EOF\n')]);
    const fileId = await uploadFile(t, headers, pdf, 'application/pdf', 'probe.pdf');
    const draft = (
      await call('zhangsan', 'POST', '/api/v1/application-drafts', { bundle: 'newborn', answers: ANSWERS, form: FORM })
    ).json() as Draft;
    await call('zhangsan', 'GET', `/api/v1/application-drafts/${draft.id}`, undefined, {
      'x-request-id': 'intake-draft-1',
    });
    const rows = await t.db.query<{ action: string; request_id: string | null }>(
      `SELECT action, request_id FROM audit_events WHERE subject_id IN ($1, $2) AND request_id LIKE 'intake-%'
        ORDER BY action`,
      [fileId, draft.id],
    );
    expect(rows.rows).toEqual([
      { action: 'file.uploaded', request_id: 'intake-upload-1' },
      { action: 'pii.full_read', request_id: 'intake-draft-1' },
    ]);
  });

  it('refuses an upload whose bytes are not what it claims', async () => {
    const fake = await t.app.inject({
      method: 'POST',
      url: '/api/v1/files',
      headers: { ...H.zhangsan, 'content-type': 'application/pdf' },
      payload: Buffer.from('MZ\x90\x00 not a pdf'),
    });
    expect(problem(fake).code).toBe('files.content_mismatch');
    const exe = await t.app.inject({
      method: 'POST',
      url: '/api/v1/files',
      headers: { ...H.zhangsan, 'content-type': 'application/x-msdownload' },
      payload: Buffer.from('MZ'),
    });
    expect(exe.statusCode).toBe(415);
  });
});

describe('published schemas', () => {
  it("checks a submission against its own database's form when another holds the same bundle code and version", async () => {
    // Two servers in one process (as in these tests), each with its own bundle newborn-probe@1: each form asks for
    // another field, and a validator kept by code and version would check the second against the first's.
    const other = await createTestApp({ clock });
    try {
      const OH = await loginHeaders(other, ['zhangsan', 'admin'], { 'accept-language': 'en' });
      const publishProbe = async (app: TestApp, admin: Record<string, string>, field: string) => {
        const newborn = (await app.app.inject({ method: 'GET', url: '/api/v1/catalogue/bundles/newborn' })).json() as {
          content: { form: { required: string[]; properties: Record<string, unknown> } };
        };
        const form = newborn.content.form;
        const content = {
          ...newborn.content,
          code: 'newborn-probe',
          form: {
            ...form,
            required: [...form.required, field],
            properties: { ...form.properties, [field]: { type: 'string' } },
          },
        };
        const url = '/api/v1/admin/catalogue/bundles/newborn-probe';
        const saved = await app.app.inject({ method: 'PUT', url: `${url}/draft`, headers: admin, payload: content });
        expect(saved.statusCode, saved.body).toBe(200);
        const published = await app.app.inject({ method: 'POST', url: `${url}/publish`, headers: admin });
        expect(published.statusCode, published.body).toBe(200);
      };
      await publishProbe(t, H.admin!, 'probeHere');
      await publishProbe(other, OH.admin!, 'probeThere');
      const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('%%EOF\n')]);
      const otherPdf = await uploadFile(other, OH.zhangsan!, pdf, 'application/pdf', 'invoice.pdf');
      const probe = (form: Record<string, unknown>, file: string) => ({
        ...submission(),
        bundle: 'newborn-probe',
        form: { ...FORM, ...form },
        materials: submission().materials.map((m) =>
          (m as { id: string }).id === 'maternity-medical-invoices' ? { ...(m as object), fileIds: [file] } : m,
        ),
      });
      const here = await call('zhangsan', 'POST', '/api/v1/applications', probe({ probeHere: 'x' }, pdfId));
      expect(here.statusCode, here.body).toBe(201);
      const there = await other.app.inject({
        method: 'POST',
        url: '/api/v1/applications',
        headers: OH.zhangsan!,
        payload: probe({ probeThere: 'x' }, otherPdf),
      });
      expect(there.statusCode, there.body).toBe(201);
    } finally {
      await other.close();
    }
  });
});

describe('abuse limits', () => {
  it('refuses a third submission and a third upload in a minute from one account with 429, writing nothing; another account is not affected', async () => {
    const limited = await createTestApp({ clock, env: { SUBMISSIONS_PER_MINUTE: '2', UPLOADS_PER_MINUTE: '2' } });
    try {
      const zs = { ...bearer(await limited.login('zhangsan')), 'accept-language': 'en' };
      const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('%%EOF\n')]);
      const upload = (h: Record<string, string>) =>
        limited.app.inject({
          method: 'POST',
          url: '/api/v1/files',
          headers: { ...h, 'content-type': 'application/pdf' },
          payload: pdf,
        });
      const files = async () =>
        (await limited.db.query<{ n: number }>('SELECT count(*)::int AS n FROM files')).rows[0]!.n;
      expect((await upload(zs)).statusCode).toBe(201);
      expect((await upload(zs)).statusCode).toBe(201);
      const before = await files();
      const third = await upload(zs);
      expect(third.statusCode).toBe(429);
      expect(third.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(problem(third).code).toBe('http.rate_limited');
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
      expect(await files()).toBe(before);

      const body = {
        bundle: 'newborn',
        answers: ANSWERS,
        form: FORM,
        materials: [{ id: 'parents-id-cards', kind: 'certificate', consent: true }],
      };
      const submit = (key: string) =>
        limited.app.inject({
          method: 'POST',
          url: '/api/v1/applications',
          headers: { ...zs, 'content-type': 'application/json', 'idempotency-key': key },
          payload: JSON.stringify(body),
        });
      const apps = async () =>
        (await limited.db.query<{ n: number }>('SELECT count(*)::int AS n FROM applications')).rows[0]!.n;
      const first = await submit('limit-test-0001');
      expect(first.statusCode).not.toBe(429);
      expect((await submit('limit-test-0001')).statusCode).not.toBe(429); // a replay counts too
      const appsBefore = await apps();
      const over = await submit('limit-test-0002');
      expect(over.statusCode).toBe(429);
      expect(problem(over).code).toBe('http.rate_limited');
      expect(await apps()).toBe(appsBefore);
      // Another account has its own allowance.
      const other = { ...bearer(await limited.login('jinling-foods')), 'accept-language': 'en' };
      expect((await upload(other)).statusCode).toBe(201);
    } finally {
      await limited.close();
    }
  });
});
