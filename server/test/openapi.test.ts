// The OpenAPI document is the API's contract: every route's answer is described by its shared schema, not left as
// "an object of anything", so that department systems and the web read the same shapes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  $ref?: string;
}
interface Operation {
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>;
}

/** An object schema that names none of its fields: a record of anything, or no schema at all. */
function isUndescribed(s: JsonSchema | undefined): boolean {
  if (!s) return true;
  if (s.$ref || s.enum || s.const !== undefined) return false;
  const alternatives = s.anyOf ?? s.oneOf ?? s.allOf;
  if (alternatives) return alternatives.some(isUndescribed);
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.length === 0) return true;
  if (types.includes('array')) return isUndescribed(s.items);
  if (types.includes('object')) {
    const named = Object.keys(s.properties ?? {}).length > 0;
    const typedValues =
      typeof s.additionalProperties === 'object' && !isUndescribed(s.additionalProperties as JsonSchema);
    return !named && !typedValues;
  }
  return false;
}

describe('the OpenAPI document', () => {
  it("describes every route's answer with a schema that names its fields", async () => {
    const doc = (await t.app.inject('/api/docs/json')).json() as { paths: Record<string, Record<string, Operation>> };
    const undescribed: string[] = [];
    for (const r of t.app.apiRoutes) {
      const op = doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()];
      const ok = Object.entries(op?.responses ?? {}).filter(([status]) => /^[23]\d\d$/.test(status));
      if (ok.length === 0) {
        undescribed.push(`${r.method} ${r.url}: no success response`);
        continue;
      }
      for (const [status, response] of ok) {
        if (status === '204' || status.startsWith('3')) continue;
        const content = response.content ?? {};
        const json = content['application/json'];
        if (!json && Object.keys(content).length > 0) continue; // a file or a page, described by its media type
        if (isUndescribed(json?.schema)) undescribed.push(`${r.method} ${r.url}: ${status}`);
      }
    }
    expect(undescribed).toEqual([]);
  });
});
