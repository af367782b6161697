// Contracts shared by the server and the web app.
export * from './catalogue.ts';
export type * from './cases.ts';
