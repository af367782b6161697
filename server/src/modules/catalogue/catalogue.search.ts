// Finding a bundle from what people type: 开餐馆, 孩子出生, 上户扣 (a homophone slip), kbcyd, "open a restaurant".
// Chinese has no spaces, so texts are cut into words by jieba (cutForSearch also gives the parts of long words:
// 餐饮店 → 餐饮 饮店 餐饮店). Colloquial phrasings that share no word with the catalogue (生孩子 → 新生儿出生) come
// from search terms that administrators edit. Each word is also indexed by its pinyin, so that a typo of the
// same sound and pinyin initials still find it. MiniSearch ranks with BM25 over weighted fields, any term
// matching (OR): a query is a few words, and the bundle that shares the most weighted words wins.
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import MiniSearch, { type SearchResult } from 'minisearch';
import { pinyin } from 'pinyin-pro';
import type { I18nText } from '@onething/shared/catalogue';

export interface SearchableBundle {
  code: string;
  name: I18nText;
  description: I18nText | null;
  stage: string;
  items: Array<{ name: I18nText; shortName?: I18nText | null }>;
}

/** What an administrator says a phrase means: 开餐馆 → 开办 餐饮店. */
export interface SearchTerm {
  phrase: string;
  means: string;
}

export interface SearchHit {
  code: string;
  score: number;
  /** The words of the query, or of what a search term says it means, that found it: the page says why. */
  matched: string[];
}

/** Words that say nothing about which service is meant. */
const STOP_ZH = new Set(
  '的 了 吗 呢 吧 啊 我 我们 你 您 他 她 想 要 想要 需要 怎么 怎样 怎么办 如何 怎么样 哪里 哪儿 去哪 什么 办 办理 手续 一件 事 一件事 请问 可以 能 能否 和 与 及 或 给 在 是 有 把 被 让 帮 帮我 一下 流程 需要 材料 所需 相关'.split(
    ' ',
  ),
);
const STOP_EN = new Set(
  'a an the of to for in on at and or my our your i we me how do does can what where which when want need apply get getting with one thing is are be by from about please help service services'.split(
    ' ',
  ),
);

const HAN = /\p{Script=Han}/u;

/** The jieba segmenter, loaded once by whoever holds it (about 170 ms): the catalogue's dependencies. */
export interface Segmenter {
  cut(text: string): string[];
}

export function createSegmenter(): Segmenter {
  let jieba: Jieba | null = null;
  return {
    cut(text) {
      jieba ??= Jieba.withDict(dict);
      return jieba.cutForSearch(text, true);
    },
  };
}

function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** A light English stem, enough that "restaurants", "hiring" and "retiring" meet "restaurant", "hire", "retire". */
function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3).replace(/(.)\1$/, '$1');
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

function syllables(han: string): string[] {
  return pinyin(han, { toneType: 'none', type: 'array', v: true }).map((s) => s.toLowerCase());
}

interface Tokens {
  /** Chinese words and English stems. */
  words: string[];
  /** The pinyin of each Chinese word of two or more characters, whole and as initials. */
  sounds: string[];
}

function tokenize(seg: Segmenter, text: string, query = false): Tokens {
  const words: string[] = [];
  const sounds: string[] = [];
  for (const run of normalize(text).match(/[\p{Script=Han}]+|[a-z0-9]+/gu) ?? []) {
    if (!HAN.test(run)) {
      if (!STOP_EN.has(run)) words.push(stem(run));
      continue;
    }
    const cut = seg.cut(run).filter((w) => !STOP_ZH.has(w));
    for (const w of cut) {
      words.push(w);
      if (w.length >= 2) {
        const s = syllables(w);
        sounds.push(s.join(''), s.map((x) => x[0]).join(''));
      }
    }
    if (query) {
      // A slip of the same sound cuts differently (上户扣 → 上 户 扣): pairs of neighbouring syllables
      // meet the indexed word (户口 → hukou).
      const s = syllables(run);
      for (let i = 0; i + 1 < s.length; i++) sounds.push(`${s[i]}${s[i + 1]}`);
    }
  }
  return { words, sounds };
}

/**
 * A hit counts when it matched a word or a whole sound; two letters of initials alone (驾照 → jz) match by
 * chance, and a query that finds only those has no bundle to offer.
 */
function isTelling(term: string, fields: string[]): boolean {
  if (HAN.test(term)) return true;
  if (fields.includes('initials')) return true;
  return term.length >= 4 || fields.some((f) => f !== 'sounds');
}

interface Doc {
  id: string;
  name: string;
  items: string;
  description: string;
  sounds: string;
  initials: string;
}

/** The tokens of a field are stored joined by spaces; MiniSearch splits them back at the spaces. */
const join = (xs: string[]) => xs.join(' ');

export interface BundleIndex {
  search(query: string, limit?: number): SearchHit[];
}

export function buildBundleIndex(seg: Segmenter, bundles: SearchableBundle[], terms: SearchTerm[]): BundleIndex {
  const index = new MiniSearch<Doc>({
    fields: ['name', 'items', 'description', 'sounds', 'initials'],
    storeFields: [],
    tokenize: (text) => text.split(' ').filter(Boolean),
    processTerm: (t) => t,
    searchOptions: { combineWith: 'OR' },
  });
  index.addAll(
    bundles.map((b) => {
      const name = tokenize(seg, `${b.name.zh} ${b.name.en ?? ''}`);
      const items = b.items.map((i) =>
        tokenize(seg, `${i.name.zh} ${i.shortName?.zh ?? ''} ${i.name.en ?? ''} ${i.shortName?.en ?? ''}`),
      );
      const description = tokenize(seg, `${b.description?.zh ?? ''} ${b.description?.en ?? ''}`);
      const zhName = b.name.zh.replace(/一件事.*$/, '').replace(/[^\p{Script=Han}]/gu, '');
      return {
        id: b.code,
        name: join(name.words),
        items: join(items.flatMap((t) => t.words)),
        description: join(description.words),
        sounds: join([...name.sounds, ...items.flatMap((t) => t.sounds)]),
        // The initials of the whole name, as people type them into a search box: 开办餐饮店 → kbcyd.
        initials: syllables(zhName)
          .map((s) => s[0])
          .join(''),
      };
    }),
  );
  const expansions = terms.map((t) => ({ phrase: normalize(t.phrase), means: t.means }));

  return {
    search(query, limit = 20) {
      const q = normalize(query).trim();
      if (!q) return [];
      const own = tokenize(seg, q, true);
      const meant = expansions.filter((t) => q.includes(t.phrase)).map((t) => tokenize(seg, t.means));
      const meantWords = [...new Set(meant.flatMap((t) => t.words))];
      const words = [...new Set(own.words)];
      const sounds = [...new Set([...own.sounds, ...meant.flatMap((t) => t.sounds)])];
      const latin = words.filter((w) => !HAN.test(w));
      const said = new Set([...words, ...meantWords]);
      const queries = [
        { queries: words, fields: ['name', 'items', 'description'] },
        // What the phrase means in the catalogue's words weighs more than its own words: 办执照 is about
        // starting an enterprise though 营业执照 is named by the restaurant's licence check.
        {
          queries: meantWords,
          fields: ['name', 'items', 'description'],
          boost: { name: 6, items: 3, description: 1.2 },
        },
        // Typo tolerance where spelling is the risk: English words and pinyin (an edit in five characters).
        { queries: latin, fields: ['name', 'items'], fuzzy: 0.2, prefix: true },
        { queries: sounds, fields: ['sounds'] },
        { queries: latin, fields: ['initials', 'sounds'], prefix: true },
      ].filter((x) => x.queries.length > 0);
      if (queries.length === 0) return [];
      const results: SearchResult[] = index
        .search(
          { combineWith: 'OR', queries },
          { boost: { name: 3, items: 1.5, description: 0.6, sounds: 0.8, initials: 2 } },
        )
        .filter((r) => Object.keys(r.match).some((term) => isTelling(term, r.match[term] ?? [])));
      return results.slice(0, limit).map((r) => ({
        code: String(r.id),
        score: Math.round(r.score * 1000) / 1000,
        // The words, not the pinyin the index adds: what the page can show a person as the reason.
        matched: [...new Set(r.queryTerms)].filter((term) => said.has(term)),
      }));
    },
  };
}
