// Pure JSON helpers both sides may need: the canonical text content hashes are computed over.
export * from './canonical-json.ts';
