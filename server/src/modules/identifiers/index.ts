// Identifiers: resident ID numbers (GB 11643), unified social credit codes (GB 32100) and administrative
// division codes (GB/T 2260, with their history since 1981).
export * from './identifiers.domain.ts';
export { identifierRoutes } from './identifiers.routes.ts';
