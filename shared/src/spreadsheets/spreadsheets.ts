// The spreadsheets' contracts: what an Excel import answers (how many rows it created, updated or left alone)
// and, when it refuses the file, each bad row and column. The workbooks themselves are bytes, not JSON.
import { z } from 'zod';

/**
 * An Excel workbook (.xlsx) as a response body: bytes, sent as they are (Fastify does not serialise a Buffer, so
 * this schema only describes the response in the OpenAPI document).
 */
export const Workbook = z.string().meta({
  format: 'binary',
  description: 'An Excel workbook (.xlsx): one sheet, a frozen header row of Chinese column titles, one row per record',
});

export const ImportOutcome = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});
export type ImportOutcome = z.infer<typeof ImportOutcome>;

/** A refused row's problem: the sheet's row number, the column's title, the field and why in both languages. */
export const RowProblem = z.object({
  row: z.number().int(),
  column: z.string(),
  field: z.string(),
  code: z.string(),
  detail: z.object({ zh: z.string(), en: z.string() }),
});
export type RowProblem = z.infer<typeof RowProblem>;
