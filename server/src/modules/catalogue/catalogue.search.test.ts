import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildBundleIndex, createSegmenter, type SearchableBundle } from './catalogue.search.ts';

// The demo catalogue's eight bundles with their items' names, as the service hands them to the index.
const catalogue = JSON.parse(fs.readFileSync(new URL('../../../seed/catalogue.json', import.meta.url), 'utf8')) as {
  items: Array<{ code: string; name: SearchableBundle['name'] }>;
  bundles: Array<Omit<SearchableBundle, 'items'> & { items: Array<{ item: string }> }>;
};
const names = new Map(catalogue.items.map((i) => [i.code, i.name]));
const bundles: SearchableBundle[] = catalogue.bundles.map((b) => ({
  code: b.code,
  name: b.name,
  description: b.description,
  stage: b.stage,
  items: b.items.map((i) => ({ name: names.get(i.item) ?? { zh: i.item, en: i.item } })),
}));
const terms = [
  { phrase: '生孩子', means: '新生儿 出生' },
  { phrase: '开餐馆', means: '开办 餐饮店' },
  { phrase: '上户口', means: '户口登记 出生登记' },
];
const index = buildBundleIndex(createSegmenter(), bundles, terms);
const first = (q: string) => index.search(q, 3)[0]?.code ?? null;

describe('the bundle search', () => {
  it.each([
    ['新生儿出生', 'newborn', 'the name itself'],
    ['餐饮店', 'restaurant-opening', 'a word inside the name'],
    ['税务注销', 'enterprise-deregistration', "an item's name"],
    ['我想给刚出生的孩子办理户口和医保', 'newborn', 'a sentence, cut into words'],
    ['开餐馆', 'restaurant-opening', 'a search term: no word in common'],
    ['生孩子', 'newborn', 'a search term'],
    ['上户口', 'newborn', 'a search term'],
    ['kbcyd', 'restaurant-opening', 'pinyin initials of the name'],
    ['新生儿出身', 'newborn', 'a slip of the same sound'],
    ['opening a restaurant', 'restaurant-opening', 'English'],
    ['retiring', 'retirement', 'English, stemmed'],
    ['restaurnt', 'restaurant-opening', 'English with a typo'],
  ])('%s finds %s (%s)', (query, code) => {
    expect(first(query)).toBe(code);
  });

  it('finds nothing rather than a chance match, and nothing for nothing', () => {
    expect(index.search('驾照')).toEqual([]);
    expect(index.search('   ')).toEqual([]);
    expect(index.search('的 了 吗')).toEqual([]);
  });

  it('says which words of the query found a bundle', () => {
    const [hit] = index.search('开餐馆');
    expect(hit?.matched).toEqual(expect.arrayContaining(['餐饮店']));
  });

  it('does not take a search term for what it is not', () => {
    // Without the term, 开餐馆 shares no word with the catalogue: what found it was the term.
    const bare = buildBundleIndex(createSegmenter(), bundles, []);
    expect(bare.search('生孩子').map((h) => h.code)).not.toContain('after-death');
    expect(bare.search('开餐馆')[0]?.code).not.toBe('restaurant-opening');
  });
});
