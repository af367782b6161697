// The key-item list's contracts: the State Council's key "one things" with the bundle that delivers each, its
// status (not_linked, draft_only, published) and its use.
export * from './keyitems.ts';
export * from './errors.ts';
