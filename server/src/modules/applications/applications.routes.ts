import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ApplicationListQuery,
  ApplicationSummary,
  ApplicationView,
  Draft,
  DraftBody,
  DraftSummary,
  Guidance,
  GuidanceBody,
  GuidanceParams,
  IdParams,
  NewDraftBody,
  Prefill,
  PrefillQuery,
  SubmitBody,
  SubmitHeaders,
  UploadedFile,
  UploadHeaders,
  WithdrawBody,
} from '@onething/shared/applications';
import { principalOf } from '../../platform/auth.ts';
import { AppError } from '../../platform/errors.ts';
import { contextOf } from '../../platform/request-context.ts';
import type { ApplicationsService } from './applications.service.ts';
import { ApplicationsErrors } from '@onething/shared/applications';

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
          params: GuidanceParams,
          body: GuidanceBody,
          response: { 200: Guidance },
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
          headers: SubmitHeaders,
          body: SubmitBody,
          response: { 200: ApplicationView, 201: ApplicationView },
        },
      },
      async (request, reply) => {
        const result = await applications.submit(contextOf(request, 'web'), request.body, {
          idempotencyKey: request.headers['idempotency-key'],
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
          querystring: ApplicationListQuery,
          response: { 200: z.array(ApplicationSummary) },
        },
      },
      async (request) => applications.list(contextOf(request), request.query),
    );

    r.get(
      '/api/v1/applications/prefill',
      {
        config: { access: { permission: 'applications.read' } },
        schema: {
          tags,
          summary: "Values for a bundle's form from my profile (一人一档 / 一企一档), each with its source",
          querystring: PrefillQuery,
          response: { 200: Prefill },
        },
      },
      async (request) => applications.prefill(contextOf(request), request.query.bundle),
    );

    r.get(
      '/api/v1/applications/:id',
      {
        config: { access: { permission: 'applications.read' } },
        schema: {
          tags,
          summary: 'One of my applications: each item with its department, status, due date and timeline',
          params: IdParams,
          response: { 200: ApplicationView },
        },
      },
      async (request) => applications.get(contextOf(request), request.params.id),
    );

    r.post(
      '/api/v1/applications/:id/withdraw',
      {
        config: { access: { permission: 'applications.submit' } },
        schema: {
          tags,
          summary: 'Withdraw one of my applications (every open case)',
          params: IdParams,
          body: WithdrawBody,
          response: { 200: ApplicationView },
        },
      },
      async (request) => applications.withdraw(contextOf(request), request.params.id, request.body.reason),
    );

    // ---- drafts ----
    r.post(
      '/api/v1/application-drafts',
      {
        config: { access: { permission: 'applications.submit' } },
        schema: {
          tags,
          summary: 'Save a draft to resume later, on any device',
          body: NewDraftBody,
          response: { 201: Draft },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await applications.createDraft(contextOf(request), request.body)),
    );

    r.get(
      '/api/v1/application-drafts',
      {
        config: { access: { permission: 'applications.read' } },
        schema: { tags, summary: 'My drafts', response: { 200: z.array(DraftSummary) } },
      },
      async (request) => applications.listDrafts(contextOf(request)),
    );

    r.get(
      '/api/v1/application-drafts/:id',
      {
        config: { access: { permission: 'applications.read' } },
        schema: { tags, summary: 'One of my drafts', params: IdParams, response: { 200: Draft } },
      },
      async (request) => applications.getDraft(contextOf(request), request.params.id),
    );

    r.put(
      '/api/v1/application-drafts/:id',
      {
        config: { access: { permission: 'applications.submit' } },
        schema: {
          tags,
          summary: 'Update one of my drafts',
          params: IdParams,
          body: DraftBody,
          response: { 200: Draft },
        },
      },
      async (request) => applications.updateDraft(contextOf(request), request.params.id, request.body),
    );

    r.delete(
      '/api/v1/application-drafts/:id',
      {
        config: { access: { permission: 'applications.submit' } },
        schema: { tags, summary: 'Delete one of my drafts', params: IdParams, response: { 204: z.null() } },
      },
      async (request, reply) => {
        await applications.deleteDraft(contextOf(request), request.params.id);
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
            headers: UploadHeaders,
            response: { 201: UploadedFile },
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
            .send(await applications.upload(contextOf(request), { name, contentType: type, body }));
        },
      );
    });
  };
}
