// SSO's contracts. Vocabulary: a client is a department system that signs people in through the platform's
// OpenID Connect provider; first-party clients (government systems) skip the consent screen.
export * from './sso.ts';
export * from './errors.ts';
