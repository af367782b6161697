// Identifier checks as a service for staff and department systems (authenticated: not an open oracle).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  DivisionListItem,
  DivisionListQuery,
  DivisionLookup,
  DivisionParams,
  ValidateBody,
  Validation,
} from '@onething/shared/identifiers';
import {
  listDivisions,
  lookupDivision,
  validateDivision,
  validateIdNumber,
  validateUscc,
} from './identifiers.domain.ts';

export function identifierRoutes() {
  return async function routes(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['identifiers'];

    r.post(
      '/api/v1/identifiers/validate',
      {
        config: { access: 'authenticated' },
        schema: {
          tags,
          summary:
            'Validate a resident ID number (GB 11643), a unified social credit code (GB 32100) or a division code (GB/T 2260), given in the body',
          body: ValidateBody,
          response: { 200: Validation },
        },
      },
      async (request) => {
        const { type, value } = request.body;
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
          querystring: DivisionListQuery,
          response: { 200: z.array(DivisionListItem) },
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
          params: DivisionParams,
          response: { 200: DivisionLookup },
        },
      },
      async (request) => lookupDivision(request.params.code),
    );
  };
}
