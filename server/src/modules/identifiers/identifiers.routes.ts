// Identifier checks as a service for staff and department systems (authenticated: not an open oracle).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  listDivisions,
  lookupDivision,
  validateDivision,
  validateIdNumber,
  validateUscc,
} from './identifiers.domain.ts';

const Reason = z.object({ code: z.string(), zh: z.string(), en: z.string() });
const Ref = z.object({ code: z.string(), name: z.string() });

export function identifierRoutes() {
  return async function routes(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['identifiers'];

    r.get(
      '/api/v1/identifiers/validate',
      {
        config: { access: 'authenticated' },
        schema: {
          tags,
          summary:
            'Validate a resident ID number (GB 11643), a unified social credit code (GB 32100) or a division code (GB/T 2260)',
          querystring: z.object({ type: z.enum(['id-number', 'uscc', 'division']), value: z.string().min(1).max(64) }),
          response: { 200: z.object({ valid: z.boolean(), reason: Reason.optional() }).loose() },
        },
      },
      async (request) => {
        const { type, value } = request.query;
        if (type === 'id-number') return validateIdNumber(value);
        if (type === 'uscc') return validateUscc(value);
        return validateDivision(value);
      },
    );

    r.get(
      '/api/v1/divisions',
      {
        config: { access: 'authenticated' },
        schema: {
          tags,
          summary: 'Current divisions under a parent (provinces when no parent is given)',
          querystring: z.object({
            parent: z
              .string()
              .regex(/^\d{6}$/)
              .optional(),
          }),
          response: {
            200: z.array(
              z.object({ code: z.string(), name: z.string(), level: z.enum(['province', 'prefecture', 'county']) }),
            ),
          },
        },
      },
      async (request) => listDivisions(request.query.parent),
    );

    r.get(
      '/api/v1/divisions/:code',
      {
        config: { access: 'authenticated' },
        schema: {
          tags,
          summary: 'A division code, current or retired, with its successors',
          params: z.object({ code: z.string().min(1).max(12) }),
          response: {
            200: z.object({
              code: z.string(),
              status: z.enum(['current', 'retired', 'unknown', 'invalid']),
              name: z.string().optional(),
              level: z.enum(['province', 'prefecture', 'county']).optional(),
              start: z.number().optional(),
              end: z.number().optional(),
              successors: z.array(Ref),
              parent: Ref.optional(),
              reason: Reason.optional(),
            }),
          },
        },
      },
      async (request) => lookupDivision(request.params.code),
    );
  };
}
