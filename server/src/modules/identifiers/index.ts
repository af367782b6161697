// Identifiers: resident ID numbers (GB 11643), unified social credit codes (GB 32100) and administrative
// division codes (GB/T 2260, with their history since 1981); personal numbers (ID, mobile, fixed-line) in free text.
export * from './identifiers.domain.ts';
export * from './personal-numbers.domain.ts';
export { identifierRoutes } from './identifiers.routes.ts';
