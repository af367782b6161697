// Single sign-on: the OpenID Provider that departments' own systems log their users in through.
export * from './errors.ts';
