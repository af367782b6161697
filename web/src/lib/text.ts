// Bilingual data from the API arrives as {zh, en}; JSON Schema titles as "中文 / English". Both are data,
// not UI strings, so they are picked by language here rather than going through the i18n catalogues.
import type { Lang, LocalText } from '@onething/shared/problem';

export type { Lang, LocalText };

export function pick(text: LocalText | null | undefined, lang: Lang): string {
  if (!text) return '';
  return text[lang] || text.zh;
}

/** "姓名 / Name" → "姓名" or "Name"; a title without " / " is the same in both languages. */
export function splitTitle(title: string | undefined, lang: Lang): string {
  if (!title) return '';
  const at = title.indexOf(' / ');
  if (at < 0) return title;
  return lang === 'zh' ? title.slice(0, at) : title.slice(at + 3);
}
