// Key items: the State Council's yearly lists of key "one things" (重点事项清单) as reference data (migration
// 0010), which of the province's bundles delivers each, and its status and use. Reads the catalogue's bundle
// versions and analytics' usage figures; owns only its two tables.
export { createKeyItemsService, type KeyItemsService } from './keyitems.service.ts';
export { keyItemRoutes } from './keyitems.routes.ts';
