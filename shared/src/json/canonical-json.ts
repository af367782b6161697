// One text for one JSON value, whatever order its keys came in: object keys sorted (by UTF-16 code units,
// recursively), no whitespace, strings and numbers as JSON.stringify writes them. Content hashes of the
// catalogue and the audit chain are computed over it, so a value read back from jsonb (which reorders keys)
// hashes the same as the value that was written. Meant for JSON values, i.e. what JSON.parse returns.
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
