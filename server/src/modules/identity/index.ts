// Identity: accounts (person, enterprise, staff), passwords, sessions and roles.
// Vocabulary: a principal is the authenticated caller of one request; a session is a login's opaque token.
export { createIdentityService, type IdentityService, type AccountSpec } from './identity.service.ts';
export { identityRoutes } from './identity.routes.ts';
