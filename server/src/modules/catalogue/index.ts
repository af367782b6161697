// Catalogue: service items (事项) and one-thing bundles (一件事), versioned; a published version never changes
// and every application pins the versions it was submitted under. Departments live here too.
export {
  createCatalogueService,
  type CatalogueDeps,
  type CatalogueService,
  type ResolvedBundle,
  type WriteContext,
} from './catalogue.service.ts';
export { catalogueRoutes } from './catalogue.routes.ts';
export { evaluateCondition, findCycle, topologicalOrder } from './catalogue.domain.ts';
export { checkJsonSchema, createSchemaCompiler } from './catalogue.domain.ts';
