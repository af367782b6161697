// Contracts shared by the server and the web app: one folder per context, imported as '@onething/shared/<context>'
// (catalogue, applications, cases, calendar, identity, …). Nothing is re-exported here, so that two contexts may
// name a view alike without clashing.
export {};
