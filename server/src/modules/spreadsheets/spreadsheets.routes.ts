// Excel files of the administration console: staff accounts, departments and the published service items as
// .xlsx downloads; staff accounts and departments uploaded as .xlsx, all rows or none. The body of an upload is the
// workbook itself (as for /api/v1/files). A refused import is a 422 problem whose `rows` name every bad row and
// column with the reason in Chinese and English (and `errors`, as every problem, in the caller's language).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ImportOutcome, RowProblem, Workbook } from '@onething/shared/spreadsheets';
import { principalOf } from '../../platform/auth.ts';
import { contextOf } from '../../platform/request-context.ts';
import { AppError } from '../../platform/errors.ts';
import type { FieldError } from '@onething/shared/problem';
import { CatalogueErrors } from '@onething/shared/catalogue';
import { IdentityErrors } from '@onething/shared/identity';
import { renderProblem, sendProblem } from '../../platform/http.ts';
import {
  MAX_XLSX_BYTES,
  XLSX_TYPE,
  XlsxErrors,
  attachment,
  readSheet,
  writeSheet,
  type Column,
} from '../../platform/xlsx.ts';
import type { CatalogueService } from '../catalogue/index.ts';
import type { IdentityService } from '../identity/index.ts';
import {
  DEPARTMENT_COLUMNS,
  ITEM_COLUMNS,
  STAFF_COLUMNS,
  STAFF_FIELD_COLUMN,
  departmentColumn,
  itemToRow,
  rowToStaff,
  staffToRow,
} from './spreadsheets.sheets.ts';

const tags = ['spreadsheets'];
const Refused = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    code: z.string(),
    rows: z.array(RowProblem).optional(),
  })
  .loose();
const UploadHeaders = z.object({ 'content-type': z.string() }).loose();
const UploadBody = z.any().describe('The workbook (.xlsx) itself, as the request body');

/** The import's problems (pointer /<row>/<field>…) as rows and columns of the sheet. */
function rowProblems<K extends string>(
  errors: FieldError[],
  columns: ReadonlyArray<Column<K>>,
  columnOf: (path: string[]) => K | undefined,
): RowProblem[] {
  return errors
    .map((e) => {
      const [row, ...path] = e.pointer.split('/').slice(1);
      const key = columnOf(path);
      const column = columns.find((c) => c.key === key)?.header ?? path.join('/');
      return { row: Number(row), column, field: path.join('/'), code: e.code, detail: e.detail };
    })
    .sort((a, b) => a.row - b.row);
}

function sendRefused(request: FastifyRequest, reply: FastifyReply, err: AppError, rows: RowProblem[]) {
  const problem = renderProblem(
    request,
    err.def,
    err.params,
    rows.map((r) => ({ pointer: `/${r.row}/${r.column}`, code: r.code, detail: r.detail })),
  );
  return sendProblem(reply, { ...problem, rows } as typeof problem);
}

function sendWorkbook(reply: FastifyReply, body: Buffer, name: string, ascii: string) {
  return reply
    .header('content-type', XLSX_TYPE)
    .header('content-disposition', attachment(name, ascii))
    .header('cache-control', 'no-store')
    .send(body);
}

/** The uploaded workbook, or a 415 for anything not sent as one. */
function workbookOf(request: FastifyRequest): Buffer {
  const type = String(request.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  const body = request.body;
  if ((type !== XLSX_TYPE && type !== 'application/octet-stream') || !Buffer.isBuffer(body))
    throw new AppError(XlsxErrors.unsupportedType);
  if (body.length === 0) throw new AppError(XlsxErrors.notXlsx);
  return body;
}

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

export function spreadsheetRoutes(deps: { identity: IdentityService; catalogue: CatalogueService }) {
  const { identity, catalogue } = deps;
  return async function routes(app: FastifyInstance) {
    const departmentNames = async () => {
      const map = new Map((await catalogue.listDepartments()).map((d) => [d.code, d.name.zh]));
      return (code: string) => map.get(code);
    };
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.get(
      '/api/v1/admin/excel/accounts',
      {
        config: { access: { permission: 'accounts.read' } },
        schema: {
          tags,
          summary:
            'Staff accounts within my jurisdiction as an Excel workbook (phone numbers masked; 初始密码 left empty)',
          produces: [XLSX_TYPE],
          response: { 200: Workbook },
        },
      },
      async (request, reply) => {
        const name = await departmentNames();
        const rows = (await identity.allStaff(contextOf(request))).map((a) => staffToRow(a, name));
        return sendWorkbook(
          reply,
          await writeSheet('工作人员', STAFF_COLUMNS, rows),
          `工作人员-${today()}.xlsx`,
          `staff-${today()}.xlsx`,
        );
      },
    );

    r.get(
      '/api/v1/admin/excel/departments',
      {
        config: { access: { permission: 'catalogue.manage' } },
        schema: {
          tags,
          summary: 'Departments as an Excel workbook',
          produces: [XLSX_TYPE],
          response: { 200: Workbook },
        },
      },
      async (_request, reply) => {
        const rows = (await catalogue.listDepartments()).map((d) => ({
          code: d.code,
          nameZh: d.name.zh,
          nameEn: d.name.en,
          regionCode: d.regionCode,
          sector: d.sector,
        }));
        return sendWorkbook(
          reply,
          await writeSheet('部门', DEPARTMENT_COLUMNS, rows),
          `部门-${today()}.xlsx`,
          `departments-${today()}.xlsx`,
        );
      },
    );

    r.get(
      '/api/v1/admin/excel/items',
      {
        config: { access: { permission: 'catalogue.manage' } },
        schema: {
          tags,
          summary: "The published catalogue's service items (latest version each) as an Excel workbook",
          produces: [XLSX_TYPE],
          response: { 200: Workbook },
        },
      },
      async (_request, reply) => {
        const name = await departmentNames();
        const rows = (await catalogue.publishedItems()).map((i) => itemToRow(i, name));
        return sendWorkbook(
          reply,
          await writeSheet('事项', ITEM_COLUMNS, rows),
          `事项目录-${today()}.xlsx`,
          `service-items-${today()}.xlsx`,
        );
      },
    );

    // ---- uploads: the body is the workbook ----
    await app.register(async (scope) => {
      scope.addContentTypeParser(
        [XLSX_TYPE, 'application/octet-stream'],
        { parseAs: 'buffer', bodyLimit: MAX_XLSX_BYTES },
        (_req, body, done) => done(null, body),
      );
      const s = scope.withTypeProvider<ZodTypeProvider>();
      const refusedDoc = {
        422: Refused.describe(
          'Nothing was imported: `rows` names every bad row and column, with the reason in Chinese and English',
        ),
      };

      s.post(
        '/api/v1/admin/excel/accounts',
        {
          config: { access: { permission: 'accounts.manage' } },
          bodyLimit: MAX_XLSX_BYTES,
          schema: {
            tags,
            summary:
              'Import staff accounts from an Excel workbook (up to 2 MB), all rows or none: a new username creates an account (初始密码 required), a known one is updated; a masked or empty phone number keeps the stored one',
            consumes: [XLSX_TYPE],
            headers: UploadHeaders,
            body: UploadBody,
            response: { 200: ImportOutcome, ...refusedDoc },
          },
        },
        async (request, reply) => {
          const { rows } = await readSheet(workbookOf(request), STAFF_COLUMNS);
          const parsed = rows.map((x) => ({ ...rowToStaff(x.row, x.values), row: x.row }));
          const sheetProblems: FieldError[] = parsed.flatMap((p) =>
            p.problems.map((q) => ({
              pointer: `/${p.row}/${q.field === 'status' ? 'disabled' : q.field}`,
              code: 'spreadsheets.invalid_value',
              detail: { zh: q.zh, en: q.en },
            })),
          );
          const columnOf = (path: string[]) => STAFF_FIELD_COLUMN[path[0] ?? ''];
          try {
            return reply.send(
              await identity.importStaff(
                contextOf(request),
                parsed.map((p) => p.input),
                sheetProblems,
              ),
            );
          } catch (err) {
            if (err instanceof AppError && err.def === IdentityErrors.importInvalid)
              return sendRefused(request, reply, err, rowProblems(err.errors, STAFF_COLUMNS, columnOf));
            throw err;
          }
        },
      );

      s.post(
        '/api/v1/admin/excel/departments',
        {
          config: { access: { permission: 'catalogue.manage' } },
          bodyLimit: MAX_XLSX_BYTES,
          schema: {
            tags,
            summary:
              'Import departments from an Excel workbook (up to 2 MB), all rows or none: a new code creates a department, a known one is updated',
            consumes: [XLSX_TYPE],
            headers: UploadHeaders,
            body: UploadBody,
            response: { 200: ImportOutcome, ...refusedDoc },
          },
        },
        async (request, reply) => {
          const { rows } = await readSheet(workbookOf(request), DEPARTMENT_COLUMNS);
          const departments = rows.map((x) => ({
            row: x.row,
            department: {
              code: x.values.code,
              name: { zh: x.values.nameZh, en: x.values.nameEn },
              regionCode: x.values.regionCode,
              sector: x.values.sector,
            },
          }));
          try {
            return reply.send(await catalogue.importDepartments(contextOf(request), departments));
          } catch (err) {
            if (err instanceof AppError && err.def === CatalogueErrors.departmentsInvalid)
              return sendRefused(request, reply, err, rowProblems(err.errors, DEPARTMENT_COLUMNS, departmentColumn));
            throw err;
          }
        },
      );
    });
  };
}
