import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Code } from '@onething/shared/catalogue';
import { principalOf } from '../../platform/auth.ts';
import { AppError } from '../../platform/errors.ts';
import type { ApplicationsService } from './applications.service.ts';
import { ApplicationsErrors } from '@onething/shared/applications';

const Answers = z
  .record(z.string().max(64), z.union([z.boolean(), z.string().max(200), z.number()]))
  .refine((a) => Object.keys(a).length <= 100, 'at most 100 answers');
const Form = z.record(z.string(), z.unknown());
const Material = z.discriminatedUnion('kind', [
  z
    .object({
      id: z.string().min(1).max(100),
      kind: z.literal('upload'),
      fileIds: z.array(z.string().max(64)).min(1).max(20),
    })
    .strict(),
  z.object({ id: z.string().min(1).max(100), kind: z.literal('certificate'), consent: z.literal(true) }).strict(),
  z
    .object({ id: z.string().min(1).max(100), kind: z.literal('gap'), commitment: z.string().trim().min(1).max(2000) })
    .strict(),
]);
const Id = z.object({ id: z.string().max(64) });
const View = z.record(z.string(), z.unknown());
const Text2 = z.object({ zh: z.string(), en: z.string() });
const GuidanceView = z.object({
  bundle: z.object({ code: z.string(), version: z.number().int() }),
  unanswered: z.array(z.string()),
  items: z.array(
    z.object({
      code: z.string(),
      version: z.number().int(),
      name: Text2,
      departmentCode: z.string(),
      included: z.boolean(),
      reason: Text2,
      after: z.array(z.string()),
      promisedDays: z.number().int(),
      statutoryDays: z.number().int().nullable(),
    }),
  ),
  materials: z.array(
    z.object({
      id: z.string(),
      name: Text2,
      provision: z.enum(['certificate', 'produced', 'upload']),
      certificateType: z.string().nullable(),
      required: z.boolean(),
      toleratedGapAllowed: z.boolean(),
      usedBy: z.array(z.string()),
    }),
  ),
  departments: z.array(z.string()),
  totalPromisedDays: z.number().int(),
});

export const SubmitBody = z
  .object({
    bundle: Code,
    version: z.number().int().min(1).optional(),
    answers: Answers,
    form: Form,
    materials: z.array(Material).max(100).default([]),
    draftId: z.uuid().optional(),
  })
  .strict();

const DraftBody = z
  .object({ answers: Answers.optional(), form: Form.optional(), materials: z.array(z.unknown()).max(100).optional() })
  .strict();

/** Uploads we accept, checked by their first bytes as well as their declared type. */
const MAGIC: Record<string, (b: Buffer) => boolean> = {
  'application/pdf': (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
};
const MAX_UPLOAD = 10 * 1024 * 1024;

/** Per account and minute (see SUBMISSIONS_PER_MINUTE and UPLOADS_PER_MINUTE in config.ts). */
export interface AbuseLimits {
  submissionsPerMinute: number;
  uploadsPerMinute: number;
}

/** A rate limit of @fastify/rate-limit keyed by the caller's account; beyond it, 429 http.rate_limited with Retry-After. */
function perAccount(max: number, group: string) {
  return {
    max,
    timeWindow: 60_000,
    groupId: group,
    keyGenerator: (request: FastifyRequest) => `${group}:${principalOf(request).accountId}`,
  };
}

export function applicationRoutes(
  applications: ApplicationsService,
  limits: AbuseLimits = { submissionsPerMinute: 10, uploadsPerMinute: 60 },
) {
  return async function routes(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['applications'];

    r.post(
      '/api/v1/catalogue/bundles/:code/guidance',
      {
        config: { access: 'public' },
        schema: {
          tags: ['catalogue'],
          summary:
            'The one-time notice (一次告知): for these answers, which items apply and why, which materials, departments and time limits',
          params: z.object({ code: Code }),
          body: z.object({ answers: Answers.default({}), version: z.number().int().min(1).optional() }).strict(),
          response: { 200: GuidanceView },
        },
      },
      async (request) => applications.guidance(request.params.code, request.body.answers, request.body.version),
    );

    r.post(
      '/api/v1/applications',
      {
        config: {
          access: { permission: 'applications.submit' },
          rateLimit: perAccount(limits.submissionsPerMinute, 'submit'),
        },
        schema: {
          tags,
          summary:
            'Submit once: one application, one department case per item. Send an Idempotency-Key so that a retry returns the same application.',
          headers: z
            .object({
              'idempotency-key': z
                .string()
                .regex(/^[A-Za-z0-9._:-]{8,128}$/, '8-128 letters, digits, ".", "_", ":" or "-"')
                .optional(),
            })
            .loose(),
          body: SubmitBody,
          response: { 200: View, 201: View },
        },
      },
      async (request, reply) => {
        const result = await applications.submit(request.body, principalOf(request), {
          idempotencyKey: request.headers['idempotency-key'],
          channel: 'web',
          requestId: String(request.id),
        });
        if (!result.created) reply.header('idempotent-replayed', 'true');
        return reply.status(result.created ? 201 : 200).send(result.application);
      },
    );

    r.get(
      '/api/v1/applications',
      {
        config: { access: { permission: 'applications.read' } },
        schema: {
          tags,
          summary: 'My applications, newest first',
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(100).default(20),
            offset: z.coerce.number().int().min(0).max(100000).default(0),
          }),
          response: { 200: z.array(View) },
        },
      },
      async (request) => applications.list(principalOf(request), request.query.limit, request.query.offset),
    );

    r.get(
      '/api/v1/applications/prefill',
      {
        config: { access: { permission: 'applications.read' } },
        schema: {
          tags,
          summary: "Values for a bundle's form from my profile (一人一档 / 一企一档), each with its source",
          querystring: z.object({ bundle: Code }),
          response: { 200: View },
        },
      },
      async (request) => applications.prefill(request.query.bundle, principalOf(request)),
    );

    r.get(
      '/api/v1/applications/:id',
      {
        config: { access: { permission: 'applications.read' } },
        schema: {
          tags,
          summary: 'One of my applications: each item with its department, status, due date and timeline',
          params: Id,
          response: { 200: View },
        },
      },
      async (request) => applications.get(request.params.id, principalOf(request)),
    );

    r.post(
      '/api/v1/applications/:id/withdraw',
      {
        config: { access: { permission: 'applications.submit' } },
        schema: {
          tags,
          summary: 'Withdraw one of my applications (every open case)',
          params: Id,
          body: z.object({ reason: z.string().trim().min(1).max(2000).optional() }).strict(),
          response: { 200: View },
        },
      },
      async (request) =>
        applications.withdraw(request.params.id, principalOf(request), request.body.reason, String(request.id)),
    );

    // ---- drafts ----
    r.post(
      '/api/v1/application-drafts',
      {
        config: { access: { permission: 'applications.submit' } },
        schema: {
          tags,
          summary: 'Save a draft to resume later, on any device',
          body: DraftBody.extend({ bundle: Code }).strict(),
          response: { 201: View },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await applications.createDraft(principalOf(request), request.body)),
    );

    r.get(
      '/api/v1/application-drafts',
      {
        config: { access: { permission: 'applications.read' } },
        schema: { tags, summary: 'My drafts', response: { 200: z.array(View) } },
      },
      async (request) => applications.listDrafts(principalOf(request)),
    );

    r.get(
      '/api/v1/application-drafts/:id',
      {
        config: { access: { permission: 'applications.read' } },
        schema: { tags, summary: 'One of my drafts', params: Id, response: { 200: View } },
      },
      async (request) => applications.getDraft(request.params.id, principalOf(request)),
    );

    r.put(
      '/api/v1/application-drafts/:id',
      {
        config: { access: { permission: 'applications.submit' } },
        schema: { tags, summary: 'Update one of my drafts', params: Id, body: DraftBody, response: { 200: View } },
      },
      async (request) => applications.updateDraft(request.params.id, principalOf(request), request.body),
    );

    r.delete(
      '/api/v1/application-drafts/:id',
      {
        config: { access: { permission: 'applications.submit' } },
        schema: { tags, summary: 'Delete one of my drafts', params: Id, response: { 204: z.null() } },
      },
      async (request, reply) => {
        await applications.deleteDraft(request.params.id, principalOf(request));
        return reply.status(204).send(null);
      },
    );

    // ---- uploads: the body is the file; its type is checked by its first bytes ----
    await app.register(async (scope) => {
      scope.addContentTypeParser(
        ['application/pdf', 'image/png', 'image/jpeg', 'application/octet-stream'],
        { parseAs: 'buffer', bodyLimit: MAX_UPLOAD },
        (_req, body, done) => done(null, body),
      );
      scope.withTypeProvider<ZodTypeProvider>().post(
        '/api/v1/files',
        {
          config: {
            access: { permission: 'applications.submit' },
            rateLimit: perAccount(limits.uploadsPerMinute, 'upload'),
          },
          bodyLimit: MAX_UPLOAD,
          schema: {
            tags,
            summary: 'Upload a material (PDF, JPEG or PNG, up to 10 MB); the body is the file',
            headers: z.object({ 'content-type': z.string(), 'x-file-name': z.string().max(255).optional() }).loose(),
            response: {
              201: z.object({
                id: z.string(),
                name: z.string(),
                contentType: z.string(),
                size: z.number(),
                sha256: z.string(),
              }),
            },
          },
        },
        async (request, reply) => {
          const type = String(request.headers['content-type']).split(';')[0]!.trim().toLowerCase();
          const check = MAGIC[type];
          if (!check) throw new AppError(ApplicationsErrors.fileUnsupportedType);
          const body = request.body as Buffer;
          if (!Buffer.isBuffer(body) || body.length === 0 || !check(body))
            throw new AppError(ApplicationsErrors.fileContentMismatch);
          const name = decodeURIComponent(String(request.headers['x-file-name'] ?? 'upload'))
            .replace(/[\\/\u0000-\u001f]/g, '_')
            .slice(0, 255);
          return reply
            .status(201)
            .send(await applications.upload(principalOf(request), { name, contentType: type, body }));
        },
      );
    });
  };
}
