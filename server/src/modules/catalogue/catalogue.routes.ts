// Catalogue HTTP routes: thin. Public reads of what is published; administrators draft, validate, publish,
// import and export.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  BundleCheck,
  BundleDetail,
  BundleList,
  BundleListQuery,
  BundleVersion,
  CatalogueCodeParams,
  CatalogueExport,
  ContentBody,
  Department,
  DepartmentBody,
  DraftResult,
  ImportResult,
  ItemSummary,
  ItemVersion,
  SearchTermList,
  SearchTermsBody,
  STAGES,
  STAGE_NAMES,
  StageView,
  VersionMeta,
  VersionQuery,
} from '@onething/shared/catalogue';
import type { Access } from '../../platform/auth.ts';
import { contextOf } from '../../platform/request-context.ts';
import type { CatalogueService } from './catalogue.service.ts';

const ADMIN: Access = { permission: 'catalogue.manage' };
const PUBLIC: Access = 'public';

export function catalogueRoutes(catalogue: CatalogueService) {
  return async function routes(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['catalogue'];

    r.get(
      '/api/v1/catalogue/stages',
      {
        config: { access: PUBLIC },
        schema: {
          tags,
          summary: 'Life-cycle stages (出生 … 身后, 准入准营 … 注销退出)',
          response: { 200: z.array(StageView) },
        },
      },
      async () => STAGES.map((code) => ({ code, name: STAGE_NAMES[code] })),
    );

    r.get(
      '/api/v1/catalogue/bundles',
      {
        config: { access: PUBLIC },
        schema: {
          tags,
          summary: 'Published one-thing bundles (latest version of each)',
          querystring: BundleListQuery,
          response: { 200: BundleList },
        },
      },
      async (request) => catalogue.listBundles(request.query),
    );

    r.get(
      '/api/v1/catalogue/bundles/:code',
      {
        config: { access: PUBLIC },
        schema: {
          tags,
          summary: 'A published bundle version with its pinned items',
          params: CatalogueCodeParams,
          querystring: VersionQuery,
          response: {
            200: BundleDetail,
          },
        },
      },
      async (request) => catalogue.getBundle(request.params.code, request.query.version),
    );

    r.get(
      '/api/v1/catalogue/bundles/:code/versions',
      {
        config: { access: PUBLIC },
        schema: {
          tags,
          summary: 'Published versions of a bundle',
          params: CatalogueCodeParams,
          response: { 200: z.array(VersionMeta) },
        },
      },
      async (request) => catalogue.bundleVersions(request.params.code, false),
    );

    r.get(
      '/api/v1/catalogue/items',
      {
        config: { access: PUBLIC },
        schema: {
          tags,
          summary: 'Published service items (latest version of each)',
          response: {
            200: z.array(ItemSummary),
          },
        },
      },
      async () => catalogue.listItems(),
    );

    r.get(
      '/api/v1/catalogue/items/:code',
      {
        config: { access: PUBLIC },
        schema: {
          tags,
          summary: 'A published version of a service item',
          params: CatalogueCodeParams,
          querystring: VersionQuery,
          response: { 200: ItemVersion },
        },
      },
      async (request) => catalogue.getItem(request.params.code, request.query.version),
    );

    r.get(
      '/api/v1/catalogue/items/:code/versions',
      {
        config: { access: PUBLIC },
        schema: {
          tags,
          summary: 'Published versions of a service item',
          params: CatalogueCodeParams,
          response: { 200: z.array(VersionMeta) },
        },
      },
      async (request) => catalogue.itemVersions(request.params.code, false),
    );

    r.get(
      '/api/v1/catalogue/departments',
      {
        config: { access: PUBLIC },
        schema: { tags, summary: 'Departments', response: { 200: z.array(Department) } },
      },
      async () => catalogue.listDepartments(),
    );

    // ---- administration ----
    const admin = ['catalogue-admin'];

    r.get(
      '/api/v1/admin/catalogue/search-terms',
      {
        config: { access: ADMIN },
        schema: {
          tags,
          summary: 'Search terms: what people type and what it means in the catalogue (开餐馆 → 开办 餐饮店)',
          response: { 200: SearchTermList },
        },
      },
      async () => catalogue.listSearchTerms(),
    );

    r.put(
      '/api/v1/admin/catalogue/search-terms',
      {
        config: { access: ADMIN },
        schema: {
          tags,
          summary: 'Replace the search terms; the bundle search uses them from the next query on',
          body: SearchTermsBody,
          response: { 200: SearchTermList },
        },
      },
      async (request) => catalogue.saveSearchTerms(contextOf(request), request.body),
    );

    r.put(
      '/api/v1/admin/catalogue/departments/:code',
      {
        config: { access: ADMIN },
        schema: {
          tags: admin,
          summary: 'Create or update a department',
          params: CatalogueCodeParams,
          body: DepartmentBody,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await catalogue.upsertDepartment(contextOf(request), { code: request.params.code, ...request.body });
        return reply.status(204).send(null);
      },
    );

    r.put(
      '/api/v1/admin/catalogue/items/:code/draft',
      {
        config: { access: ADMIN },
        schema: {
          tags: admin,
          summary: "Save the draft of an item's next version",
          params: CatalogueCodeParams,
          body: ContentBody,
          response: { 200: DraftResult },
        },
      },
      async (request) => catalogue.saveItemDraft(contextOf(request), request.params.code, request.body),
    );

    r.get(
      '/api/v1/admin/catalogue/items/:code/draft',
      {
        config: { access: ADMIN },
        schema: {
          tags: admin,
          summary: "An item's open draft",
          params: CatalogueCodeParams,
          response: { 200: ItemVersion },
        },
      },
      async (request) => catalogue.itemDraft(request.params.code),
    );

    r.get(
      '/api/v1/admin/catalogue/items/:code/versions',
      {
        config: { access: ADMIN },
        schema: {
          tags: admin,
          summary: 'All versions of an item, drafts included',
          params: CatalogueCodeParams,
          response: { 200: z.array(VersionMeta) },
        },
      },
      async (request) => catalogue.itemVersions(request.params.code, true),
    );

    r.post(
      '/api/v1/admin/catalogue/items/:code/publish',
      {
        config: { access: ADMIN },
        schema: {
          tags: admin,
          summary: "Publish an item's draft; a published version never changes",
          params: CatalogueCodeParams,
          response: { 200: DraftResult },
        },
      },
      async (request) => catalogue.publishItem(contextOf(request), request.params.code),
    );

    r.put(
      '/api/v1/admin/catalogue/bundles/:code/draft',
      {
        config: { access: ADMIN },
        schema: {
          tags: admin,
          summary: "Save the draft of a bundle's next version",
          params: CatalogueCodeParams,
          body: ContentBody,
          response: { 200: DraftResult },
        },
      },
      async (request) => catalogue.saveBundleDraft(contextOf(request), request.params.code, request.body),
    );

    r.get(
      '/api/v1/admin/catalogue/bundles/:code/draft',
      {
        config: { access: ADMIN },
        schema: {
          tags: admin,
          summary: "A bundle's open draft",
          params: CatalogueCodeParams,
          response: { 200: BundleVersion },
        },
      },
      async (request) => catalogue.bundleDraft(request.params.code),
    );

    r.get(
      '/api/v1/admin/catalogue/bundles/:code/versions',
      {
        config: { access: ADMIN },
        schema: {
          tags: admin,
          summary: 'All versions of a bundle, drafts included',
          params: CatalogueCodeParams,
          response: { 200: z.array(VersionMeta) },
        },
      },
      async (request) => catalogue.bundleVersions(request.params.code, true),
    );

    r.post(
      '/api/v1/admin/catalogue/bundles/:code/publish',
      {
        config: { access: ADMIN },
        schema: {
          tags: admin,
          summary: "Publish a bundle's draft, pinning each item's latest published version",
          params: CatalogueCodeParams,
          response: { 200: DraftResult },
        },
      },
      async (request) => catalogue.publishBundle(contextOf(request), request.params.code),
    );

    r.post(
      '/api/v1/admin/catalogue/bundles/validate',
      {
        config: { access: ADMIN },
        schema: {
          tags: admin,
          summary: 'Check a bundle as it would be published now; writes nothing',
          body: ContentBody,
          response: { 200: BundleCheck },
        },
      },
      async (request) => catalogue.validateBundle(request.body),
    );

    r.get(
      '/api/v1/admin/catalogue/export',
      {
        config: { access: ADMIN },
        schema: {
          tags: admin,
          summary: 'The published catalogue as an import file (JSON)',
          response: { 200: CatalogueExport },
        },
      },
      async () => catalogue.exportCatalogue(),
    );

    r.post(
      '/api/v1/admin/catalogue/import',
      {
        config: { access: ADMIN },
        schema: {
          tags: admin,
          summary: 'Import a catalogue file: all of it or nothing',
          body: ContentBody,
          response: { 200: ImportResult },
        },
      },
      async (request) => catalogue.importCatalogue(contextOf(request), request.body),
    );
  };
}
