// Contracts shared by the server and the web app, one folder per context (import '@onething/shared/<context>').
export * from './catalogue/index.ts';
export * from './cases/index.ts';
