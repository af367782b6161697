import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Notification,
  NotificationListQuery,
  NotificationParams,
  type NotificationMessage,
} from '@onething/shared/notifications';
import type { Database } from '../../platform/db.ts';
import { principalOf } from '../../platform/auth.ts';
import { AppError } from '../../platform/errors.ts';
import * as repo from './notifications.repository.ts';
import { CommonErrors } from '@onething/shared/problem';

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
          querystring: NotificationListQuery,
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
        return rows.map(
          (n): Notification => ({
            id: n.id,
            // Written through NewNotification, so the row's kind and payload are one of the messages; the
            // response schema checks it again on the way out.
            ...({ kind: n.kind, payload: n.payload } as NotificationMessage),
            applicationId: n.applicationId,
            caseId: n.caseId,
            createdAt: n.createdAt.toISOString(),
            readAt: n.readAt?.toISOString() ?? null,
          }),
        );
      },
    );
    r.post(
      '/api/v1/notifications/:id/read',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['notifications'],
          summary: 'Mark one of my notifications read',
          params: NotificationParams,
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
