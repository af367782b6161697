import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CaseActionBody,
  CaseActionResult,
  CaseFileParams,
  CaseIdParams,
  CaseQueue,
  CaseQueueQuery,
  CaseView,
  type CaseEventAction,
} from '@onething/shared/cases';
import { contextOf } from '../../platform/request-context.ts';
import { AppError } from '../../platform/errors.ts';
import type { CasesService } from './cases.service.ts';
import type { PlannedOutput } from './cases.ports.ts';
import type { Database } from '../../platform/db.ts';
import { maskPersonalData, revealPersonalData } from '../../platform/pii-reads.ts';
import type { PiiSealer } from '../../platform/pii.ts';
import { availableActions, QUEUE_COUNT_CAP, type CaseStatus } from './cases.domain.ts';
import { CasesErrors } from '@onething/shared/cases';

/** A file name as an RFC 8187 value (filename*=UTF-8''…): percent-encoded, including the characters it reserves. */
function encodeRfc5987(name: string): string {
  return encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function casesRoutes(cases: CasesService, db: Database, pii: PiiSealer) {
  return async function routes(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['cases'];

    r.get(
      '/api/v1/cases',
      {
        config: { access: { permission: 'cases.review' } },
        schema: {
          tags,
          summary: "My department's queue: open cases, due soonest first",
          description:
            'One page (limit, offset). The header X-Total-Count says how many open cases match the filters in all; when more than ' +
            `${QUEUE_COUNT_CAP.toLocaleString('en')} match, it is left out and X-Total-Count-Exceeds: ${QUEUE_COUNT_CAP} says so, unless count=exact asks for the exact number (which takes longer the more there are).`,
          querystring: CaseQueueQuery,
          response: { 200: CaseQueue },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const { rows, total, more } = await cases.queue(contextOf(request), {
          status: q.status,
          dueBefore: q.dueBefore,
          flag: q.flag,
          bundleCode: q.bundle,
          region: q.region,
          limit: q.limit,
          offset: q.offset,
          countUpTo: q.count === 'exact' ? undefined : QUEUE_COUNT_CAP,
        });
        void reply.header(more ? 'x-total-count-exceeds' : 'x-total-count', String(total));
        return rows.map((c) => ({
          id: c.id,
          applicationId: c.application_id,
          applicationNumber: c.application_number,
          bundleCode: c.bundle_code,
          itemCode: c.item_code,
          status: c.status,
          receivedOn: c.received_on,
          acceptedOn: c.accepted_on,
          dueDate: c.due_date,
          nearDue: c.near_due,
          overdue: c.overdue,
          gapStatus: c.gap_status,
        }));
      },
    );

    r.get(
      '/api/v1/cases/:id',
      {
        config: { access: { permission: ['cases.review', 'cases.read', 'applications.read'] } },
        schema: {
          tags,
          summary:
            'A case of my department within my jurisdiction, of my application, or (read-only) within my jurisdiction, with its history and the actions I may take',
          params: CaseIdParams,
          response: { 200: CaseView },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const { row, app: a, as, events, corrections, materials } = await cases.getCase(ctx, request.params.id);
        const view: CaseView = {
          id: row.id,
          application: { id: a.id, number: a.number },
          item: { code: row.itemCode, version: row.itemVersion },
          departmentCode: row.departmentCode,
          status: row.status as CaseStatus,
          data: row.data,
          inputs: row.inputs as PlannedOutput[],
          receivedOn: row.receivedOn,
          acceptedOn: row.acceptedOn,
          dueDate: row.dueDate,
          statutoryDueDate: row.statutoryDueDate,
          pausedSince: row.pausedSince,
          pauses: row.pauses,
          decision: row.decision,
          decisionReason: row.decisionReason,
          toleratedGap: row.toleratedGap ? { ...row.toleratedGap, status: row.gapStatus } : null,
          declaredGaps: a.declaredGaps[row.itemCode] ?? [],
          // The bundle's materials serving this item and how each was given; the files open through the route below.
          materials,
          nearDue: row.nearDue,
          overdue: row.overdue,
          actions: as === 'observer' ? [] : availableActions(row.status as CaseStatus, as, row),
          corrections: corrections.map((n) => ({
            id: n.id,
            issuedOn: n.issuedOn,
            problems: n.problems,
            note: n.note,
            suppliedOn: n.suppliedOn,
          })),
          history: events.map((e) => ({
            at: e.at.toISOString(),
            day: e.onDay,
            action: e.action as CaseEventAction,
            from: e.fromStatus as CaseStatus | null,
            to: e.toStatus as CaseStatus,
            reason: e.reason,
            data: e.data,
          })),
        };
        // ID and phone numbers (stored encrypted): in full, audited, for the department that reviews the case (it
        // checks them against the registers); masked for the applicant and for read-only staff.
        if (as !== 'department') return maskPersonalData(pii, view);
        return revealPersonalData(db, pii, view, {
          actorId: ctx.principal.accountId,
          whose: a.applicantId,
          subjectType: 'case',
          subjectId: row.id,
          route: 'GET /api/v1/cases/:id',
          purpose: 'case review',
          requestId: ctx.requestId,
        });
      },
    );

    r.get(
      '/api/v1/cases/:id/files/:fileId',
      {
        config: { access: { permission: 'cases.review' } },
        schema: {
          tags,
          summary:
            "An uploaded file of one of the case's materials, for its department's reviewer (audited as file.read)",
          description:
            "The bytes as uploaded (PDF, JPEG or PNG), with their content type, shown inline. Someone else's case, or a file that is not among this case's materials: 404.",
          params: CaseFileParams,
          produces: ['application/pdf', 'image/jpeg', 'image/png'],
          response: { 200: z.string().describe("The file's bytes") },
        },
      },
      async (request, reply) => {
        const file = await cases.caseFile(contextOf(request), request.params.id, request.params.fileId);
        return (
          reply
            .header('content-type', file.contentType)
            .header('content-length', String(file.size))
            .header('content-disposition', `inline; filename*=UTF-8''${encodeRfc5987(file.name)}`)
            .header('x-content-type-options', 'nosniff')
            .header('cache-control', 'private, no-store')
            // A stream is sent as it is (Fastify serialises no streams); the schema's string only documents the body.
            .send(file.open() as unknown as string)
        );
      },
    );

    r.post(
      '/api/v1/cases/:id/actions',
      {
        config: { access: { permission: ['cases.review', 'applications.submit'] } },
        schema: {
          tags,
          summary:
            'Take an action on a case (受理, 不予受理, 补正, 容缺受理, 审查, 决定, 办结; or, for the applicant, supply corrections, supply a gap, withdraw)',
          params: CaseIdParams,
          body: CaseActionBody,
          response: { 200: CaseActionResult },
        },
      },
      async (request) => {
        const row = await cases.act(contextOf(request), request.params.id, request.body);
        if (!row) throw new AppError(CasesErrors.notFound);
        return { id: row.id, status: row.status as CaseStatus, dueDate: row.dueDate };
      },
    );
  };
}
