// Key-item list HTTP routes (administration, catalogue.manage): the list with statuses, one item's change, the
// export as JSON and as an Excel workbook.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  KeyItem,
  KeyItemChange,
  KeyItemExport,
  KeyItemList,
  KeyItemParams,
  KeyItemYearQuery,
} from '@onething/shared/keyitems';
import { Workbook } from '@onething/shared/spreadsheets';
import { principalOf, type Access } from '../../platform/auth.ts';
import { XLSX_TYPE, attachment, writeSheet, type Column } from '../../platform/xlsx.ts';
import type { KeyItemsService } from './keyitems.service.ts';

const ADMIN: Access = { permission: 'catalogue.manage' };
const tags = ['key-items'];

const STATUS_ZH = { not_linked: '未关联', draft_only: '仅有草稿', published: '已发布' } as const;
const AUDIENCE_ZH = { person: '个人', enterprise: '企业' } as const;

type XCol =
  | 'batch'
  | 'name'
  | 'nameEn'
  | 'audience'
  | 'leadDepartment'
  | 'verified'
  | 'sourceUrl'
  | 'bundle'
  | 'status'
  | 'version'
  | 'applications'
  | 'concluded'
  | 'onTimeShare'
  | 'targetDate'
  | 'note';
const COLUMNS: ReadonlyArray<Column<XCol>> = [
  { key: 'batch', header: '批次', width: 30 },
  { key: 'name', header: '事项名称', width: 28 },
  { key: 'nameEn', header: '英文名称', alias: 'Name', width: 30 },
  { key: 'audience', header: '服务对象', width: 10 },
  { key: 'leadDepartment', header: '牵头部门', width: 20 },
  { key: 'verified', header: '名单核实', width: 12 },
  { key: 'sourceUrl', header: '来源', width: 40 },
  { key: 'bundle', header: '承接一件事', width: 22 },
  { key: 'status', header: '状态', width: 10 },
  { key: 'version', header: '发布版本', width: 10 },
  { key: 'applications', header: '近30日申请', width: 12 },
  { key: 'concluded', header: '近30日办结', width: 12 },
  { key: 'onTimeShare', header: '按时办结率', width: 12 },
  { key: 'targetDate', header: '目标日期', width: 12 },
  { key: 'note', header: '备注', width: 30 },
];

function sendWorkbook(reply: FastifyReply, body: Buffer, name: string, ascii: string) {
  return reply
    .header('content-type', XLSX_TYPE)
    .header('content-disposition', attachment(name, ascii))
    .header('cache-control', 'no-store')
    .send(body);
}

export function keyItemRoutes(keyItems: KeyItemsService) {
  return async function routes(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.get(
      '/api/v1/admin/key-items',
      {
        config: { access: ADMIN },
        schema: {
          tags,
          summary:
            "The national key-item list (重点事项清单) of a year with each item's status: the bundle that delivers it, published or not, and its use over the last 30 days within my jurisdiction",
          querystring: KeyItemYearQuery,
          response: { 200: KeyItemList },
        },
      },
      async (request) => keyItems.list(principalOf(request), request.query.year ?? null),
    );

    r.put(
      '/api/v1/admin/key-items/:id',
      {
        config: { access: ADMIN },
        schema: {
          tags,
          summary:
            'Link a bundle to a key item, set its target date and note (fields not given stay as they are); an unknown bundle is a 422 naming /bundleCode',
          params: KeyItemParams,
          body: KeyItemChange,
          response: { 200: KeyItem },
        },
      },
      async (request) => keyItems.update(principalOf(request), request.params.id, request.body, String(request.id)),
    );

    r.get(
      '/api/v1/admin/key-items/export',
      {
        config: { access: ADMIN },
        schema: {
          tags,
          summary: 'The key-item list with statuses as a JSON file',
          querystring: KeyItemYearQuery,
          response: { 200: KeyItemExport },
        },
      },
      async (request, reply) => {
        const list = await keyItems.list(principalOf(request), request.query.year ?? null);
        const name = `key-items-${request.query.year ?? 'all'}.json`;
        reply.header('content-disposition', attachment(name, name)).header('cache-control', 'no-store');
        return { ...list, exportedAt: new Date().toISOString() };
      },
    );

    r.get(
      '/api/v1/admin/key-items/export.xlsx',
      {
        config: { access: ADMIN },
        schema: {
          tags,
          summary: 'The key-item list with statuses as an Excel workbook (one row per item)',
          querystring: KeyItemYearQuery,
          produces: [XLSX_TYPE],
          response: { 200: Workbook },
        },
      },
      async (request, reply) => {
        const list = await keyItems.list(principalOf(request), request.query.year ?? null);
        const batch = new Map(list.batches.map((b) => [b.id, b.label.zh]));
        const rows = list.items.map((i) => ({
          batch: batch.get(i.batchId) ?? i.batchId,
          name: i.name.zh,
          nameEn: i.name.en,
          audience: AUDIENCE_ZH[i.audience] + (i.inferred.includes('audience') ? '（推断）' : ''),
          leadDepartment:
            i.leadDepartment === null
              ? null
              : i.leadDepartment + (i.inferred.includes('leadDepartment') ? '（推断）' : ''),
          verified: i.verified ? '有来源佐证' : '未核实',
          sourceUrl: i.sourceUrl,
          bundle: i.bundle?.code ?? null,
          status: STATUS_ZH[i.status],
          version: i.published?.version ?? null,
          applications: i.usage?.applications ?? null,
          concluded: i.usage?.concluded ?? null,
          onTimeShare: i.usage?.onTimeShare ?? null,
          targetDate: i.targetDate,
          note: i.note,
        }));
        const body = await writeSheet('重点事项清单', COLUMNS, rows);
        const y = request.query.year ?? 'all';
        return sendWorkbook(reply, body, `重点事项清单-${y}.xlsx`, `key-items-${y}.xlsx`);
      },
    );
  };
}
