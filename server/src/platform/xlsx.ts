// Excel workbooks (.xlsx, Office Open XML) in and out, with exceljs (docs/adr/0007-excel-files.md). One sheet per
// file: a bold header row of column titles (Chinese, as staff write them), frozen, then one row per record. Reading
// checks what arrives before exceljs sees it: the size (the route's body limit), that it is a ZIP archive whose
// entries would not inflate beyond MAX_INFLATED (a "zip bomb"), and that the header row has the columns named.
import ExcelJS from 'exceljs';
import { defineProblems } from '@onething/shared/problem';
import { AppError } from './errors.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The largest upload the import routes take. */
export const MAX_XLSX_BYTES = 2 * 1024 * 1024;
/** The most a workbook may inflate to; staff lists of a province are far below it. */
export const MAX_INFLATED = 40 * 1024 * 1024;
export const MAX_ROWS = 5000;

export const XlsxErrors = defineProblems({
  unsupportedType: {
    code: 'xlsx.unsupported_type',
    status: 415,
    title: { zh: '请上传 Excel 工作簿（.xlsx）', en: 'Upload an Excel workbook (.xlsx)' },
  },
  notXlsx: {
    code: 'xlsx.not_xlsx',
    status: 400,
    title: {
      zh: '文件不是有效的 Excel 工作簿（.xlsx）；旧版 .xls 请先另存为 .xlsx',
      en: 'The file is not a valid Excel workbook (.xlsx); save an old .xls as .xlsx first',
    },
  },
  tooLarge: {
    code: 'xlsx.too_large',
    status: 413,
    title: {
      zh: '工作簿解压后过大（上限 {limit} MB）',
      en: 'The workbook is too large once unpacked (limit {limit} MB)',
    },
  },
  tooManyRows: {
    code: 'xlsx.too_many_rows',
    status: 422,
    title: { zh: '工作簿行数过多（上限 {limit} 行）', en: 'The workbook has too many rows (limit {limit})' },
  },
  missingColumns: {
    code: 'xlsx.missing_columns',
    status: 422,
    title: { zh: '工作簿缺少列：{columns}', en: 'The workbook lacks columns: {columns}' },
  },
});

export interface Column<K extends string = string> {
  key: K;
  /** The header as written in the file (Chinese); reading matches it, or the English alias. */
  header: string;
  alias?: string;
  width?: number;
  /** Read back on import: absent columns named here make the file invalid. */
  required?: boolean;
}

/** A workbook of one sheet, header row bold and frozen. */
export async function writeSheet<K extends string>(
  sheetName: string,
  columns: ReadonlyArray<Column<K>>,
  rows: ReadonlyArray<Partial<Record<K, string | number | null>>>,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'OneThing';
  workbook.created = new Date(0);
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 16 }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows)
    sheet.addRow(Object.fromEntries(columns.map((c) => [c.key, row[c.key] === '' ? null : (row[c.key] ?? null)])));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export interface SheetRow<K extends string> {
  /** The row's number in the sheet as Excel shows it (the header is row 1). */
  row: number;
  values: Record<K, string>;
}

/**
 * The first sheet's rows as trimmed strings by column key (blank rows skipped). Throws xlsx.* problems for
 * anything that is not a readable workbook with the required columns.
 */
export async function readSheet<K extends string>(
  body: Buffer,
  columns: ReadonlyArray<Column<K>>,
): Promise<{ headers: Record<K, string>; rows: Array<SheetRow<K>> }> {
  checkZip(body);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(body as unknown as ArrayBuffer);
  } catch {
    throw new AppError(XlsxErrors.notXlsx);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new AppError(XlsxErrors.notXlsx);
  if (sheet.actualRowCount > MAX_ROWS + 1) throw new AppError(XlsxErrors.tooManyRows, { limit: MAX_ROWS });
  const at = new Map<K, number>();
  const header = sheet.getRow(1);
  header.eachCell({ includeEmpty: false }, (cell, col) => {
    const title = cellText(cell.value);
    const c = columns.find((x) => x.header === title || (x.alias && x.alias.toLowerCase() === title.toLowerCase()));
    if (c && !at.has(c.key)) at.set(c.key, col);
  });
  const missing = columns.filter((c) => c.required && !at.has(c.key)).map((c) => c.header);
  if (missing.length) throw new AppError(XlsxErrors.missingColumns, { columns: missing.join('、') });
  const headers = Object.fromEntries(columns.map((c) => [c.key, c.header])) as Record<K, string>;
  const rows: Array<SheetRow<K>> = [];
  sheet.eachRow({ includeEmpty: false }, (r, n) => {
    if (n === 1) return;
    const values = Object.fromEntries(
      columns.map((c) => [c.key, at.has(c.key) ? cellText(r.getCell(at.get(c.key)!).value) : '']),
    ) as Record<K, string>;
    if (Object.values<string>(values).every((v) => v === '')) return;
    rows.push({ row: n, values });
  });
  return { headers, rows };
}

/** What a cell shows, as text: rich text joined, a formula's result, a hyperlink's text, a date as YYYY-MM-DD. */
export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText))
      return v.richText
        .map((t) => t.text)
        .join('')
        .trim();
    if ('text' in v && typeof v.text === 'string') return v.text.trim();
    if ('result' in v) return cellText((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ('error' in v) return '';
  }
  return '';
}

/**
 * A workbook is a ZIP archive: read its central directory and refuse anything else, and an archive whose entries
 * would inflate beyond MAX_INFLATED, before any of it is inflated.
 */
export function checkZip(body: Buffer): void {
  if (body.length < 22 || body.readUInt32LE(0) !== 0x04034b50) throw new AppError(XlsxErrors.notXlsx);
  // The end-of-central-directory record: within the last 22 + 65535 bytes (its comment is at most 64 KiB).
  let eocd = -1;
  for (let i = body.length - 22; i >= Math.max(0, body.length - 22 - 0xffff); i--) {
    if (body.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new AppError(XlsxErrors.notXlsx);
  const entries = body.readUInt16LE(eocd + 10);
  let offset = body.readUInt32LE(eocd + 16);
  let total = 0;
  for (let i = 0; i < entries; i++) {
    if (offset + 46 > body.length || body.readUInt32LE(offset) !== 0x02014b50) throw new AppError(XlsxErrors.notXlsx);
    const size = body.readUInt32LE(offset + 24);
    if (size === 0xffffffff) throw new AppError(XlsxErrors.tooLarge, { limit: MAX_INFLATED / 1024 / 1024 });
    total += size;
    if (total > MAX_INFLATED) throw new AppError(XlsxErrors.tooLarge, { limit: MAX_INFLATED / 1024 / 1024 });
    offset += 46 + body.readUInt16LE(offset + 28) + body.readUInt16LE(offset + 30) + body.readUInt16LE(offset + 32);
  }
}

/** A Content-Disposition naming the file in UTF-8 (RFC 6266), with an ASCII fallback. */
export function attachment(name: string, ascii: string): string {
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
