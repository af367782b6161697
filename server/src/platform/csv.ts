// CSV files in (RFC 4180): what registers are exchanged as between government systems, too large for a
// spreadsheet. A header row names the columns (Chinese, or an English alias, as platform/xlsx.ts reads them), then
// one row per record. UTF-8 (a byte-order mark is dropped); a file that is not UTF-8 is read as GB 18030, which
// is what Excel writes on a Chinese Windows. Fields may be quoted ("…", with "" for a quote inside) and span lines.
import { defineProblems } from '@onething/shared/problem';
import { AppError } from './errors.ts';
import type { Column } from './xlsx.ts';

export const CSV_TYPE = 'text/csv';
/** The largest upload the CSV import routes take. */
export const MAX_CSV_BYTES = 32 * 1024 * 1024;
export const MAX_CSV_ROWS = 200_000;

export const CsvErrors = defineProblems({
  unsupportedType: {
    code: 'csv.unsupported_type',
    status: 415,
    title: { zh: '请上传 CSV 文件（text/csv）', en: 'Upload a CSV file (text/csv)' },
  },
  unclosedQuote: {
    code: 'csv.unclosed_quote',
    status: 400,
    title: {
      zh: 'CSV 文件第 {line} 行起的引号没有闭合',
      en: 'The CSV file has a quoted field from line {line} that is not closed',
    },
  },
  textAfterQuote: {
    code: 'csv.text_after_quote',
    status: 400,
    title: {
      zh: 'CSV 文件第 {line} 行：闭合引号后应为逗号或换行',
      en: 'The CSV file, line {line}: a comma or line break must follow a closing quote',
    },
  },
  tooManyRows: {
    code: 'csv.too_many_rows',
    status: 422,
    title: { zh: '文件行数过多（上限 {limit} 行）', en: 'The file has too many rows (limit {limit})' },
  },
  missingColumns: {
    code: 'csv.missing_columns',
    status: 422,
    title: { zh: '文件缺少列：{columns}', en: 'The file lacks columns: {columns}' },
  },
});

/** The text of a CSV file: UTF-8 when it decodes as such, GB 18030 otherwise. */
export function decodeCsv(body: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    text = new TextDecoder('gb18030').decode(body);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The records of a CSV text, each with the line it starts on. A quote inside an unquoted field is taken as it is
 * (as spreadsheets write it); text after a closing quote, or a quote left open at the end, is malformed.
 */
export function parseCsv(text: string): Array<{ line: number; fields: string[] }> {
  const records: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let start = 1;
  let quoted = false;
  let afterQuote = false;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: start, fields });
    fields = [];
    field = '';
    afterQuote = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
          afterQuote = true;
        }
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === ',') {
      fields.push(field);
      field = '';
      afterQuote = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else if (afterQuote) {
      throw new AppError(CsvErrors.textAfterQuote, { line });
    } else if (ch === '"' && field === '') {
      quoted = true;
    } else {
      field += ch;
    }
  }
  if (quoted) throw new AppError(CsvErrors.unclosedQuote, { line: start });
  if (field !== '' || fields.length) endRecord();
  return records;
}

export interface CsvRow<K extends string> {
  /** The record's number in the file, the header being 1 (as a spreadsheet shows it). */
  row: number;
  values: Record<K, string>;
}

/**
 * The file's rows as trimmed strings by column key (blank rows skipped), found by the header's titles. Throws
 * csv.* problems for a file that cannot be read, lacks a required column or has too many rows.
 */
export function readCsv<K extends string>(body: Buffer, columns: ReadonlyArray<Column<K>>): Array<CsvRow<K>> {
  const [header, ...records] = parseCsv(decodeCsv(body));
  if (records.length > MAX_CSV_ROWS) throw new AppError(CsvErrors.tooManyRows, { limit: MAX_CSV_ROWS });
  const at = new Map<K, number>();
  (header?.fields ?? []).forEach((raw, i) => {
    const title = raw.trim();
    const c = columns.find((x) => x.header === title || (x.alias && x.alias.toLowerCase() === title.toLowerCase()));
    if (c && !at.has(c.key)) at.set(c.key, i);
  });
  const missing = columns.filter((c) => c.required && !at.has(c.key)).map((c) => c.header);
  if (missing.length) throw new AppError(CsvErrors.missingColumns, { columns: missing.join('、') });
  const rows: Array<CsvRow<K>> = [];
  records.forEach((r, i) => {
    const values = Object.fromEntries(
      columns.map((c) => [c.key, at.has(c.key) ? (r.fields[at.get(c.key)!] ?? '').trim() : '']),
    ) as Record<K, string>;
    if (Object.values<string>(values).every((v) => v === '')) return;
    rows.push({ row: i + 2, values });
  });
  return rows;
}
