import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../platform/db.ts';
import { principalOf } from '../../platform/auth.ts';
import { AppError } from '../../platform/errors.ts';
import * as repo from './notifications.repository.ts';
import { CommonErrors } from '@onething/shared/problem';

const Notification = z.object({
  id: z.string(),
  kind: z.string(),
  applicationId: z.string().nullable(),
  caseId: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

export function notificationRoutes(db: Database) {
  return async function routes(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get(
      '/api/v1/notifications',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['notifications'],
          summary: 'My notifications, newest first',
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(200).default(50),
            unread: z.enum(['true', 'false']).optional(),
          }),
          response: { 200: z.array(Notification) },
        },
      },
      async (request) => {
        const rows = await repo.listForRecipient(
          db,
          principalOf(request).accountId,
          request.query.limit,
          request.query.unread === 'true',
        );
        return rows.map((n) => ({
          id: n.id,
          kind: n.kind,
          applicationId: n.applicationId,
          caseId: n.caseId,
          payload: n.payload,
          createdAt: n.createdAt.toISOString(),
          readAt: n.readAt?.toISOString() ?? null,
        }));
      },
    );
    r.post(
      '/api/v1/notifications/:id/read',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['notifications'],
          summary: 'Mark one of my notifications read',
          params: z.object({ id: z.uuid() }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        if (!(await repo.markRead(db, principalOf(request).accountId, request.params.id, new Date())))
          throw new AppError(CommonErrors.notFound);
        return reply.status(204).send(null);
      },
    );
  };
}
