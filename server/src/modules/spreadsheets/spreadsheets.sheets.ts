// The sheets staff exchange with the console, column by column: staff accounts and departments (export and
// import) and the published service items (export). Headers are Chinese, as the staff's own lists are; each column
// also answers to an English alias on import. Pure: rows in, rows out.
import type { ServiceItemContent } from '@onething/shared/catalogue';
import type { Column } from '../../platform/xlsx.ts';
import type { StaffImportRow } from '../identity/index.ts';

/** Roles by their Chinese names, as a sheet shows them (the console shows the same names). */
export const ROLE_NAMES: Record<string, string> = {
  applicant: '申请人',
  enterprise_agent: '企业经办人',
  window_staff: '综合窗口工作人员',
  township_staff: '乡镇（街道）工作人员',
  reviewer: '部门审核人员',
  department_head: '部门负责人',
  hotline_agent: '12345 热线坐席',
  admin: '管理员',
  auditor: '审计人员',
};

export const ITEM_TYPE_NAMES: Record<string, string> = {
  administrative_licensing: '行政许可',
  administrative_confirmation: '行政确认',
  administrative_payment: '行政给付',
  administrative_award: '行政奖励',
  administrative_ruling: '行政裁决',
  administrative_filing: '行政备案',
  other_administrative_power: '其他行政权力',
  public_service: '公共服务',
};

const ACTIVE = '正常';
const DISABLED = '已停用';

export type StaffKey =
  | 'username'
  | 'displayName'
  | 'phone'
  | 'departmentCode'
  | 'departmentName'
  | 'jurisdiction'
  | 'roles'
  | 'status'
  | 'password';
export const STAFF_COLUMNS: ReadonlyArray<Column<StaffKey>> = [
  { key: 'username', header: '用户名', alias: 'username', width: 22, required: true },
  { key: 'displayName', header: '姓名', alias: 'name', width: 24, required: true },
  { key: 'phone', header: '手机号码', alias: 'phone', width: 16 },
  { key: 'departmentCode', header: '部门编码', alias: 'department', width: 24 },
  { key: 'departmentName', header: '部门名称（仅供查看）', alias: 'department name', width: 28 },
  { key: 'jurisdiction', header: '辖区（区划代码）', alias: 'jurisdiction', width: 16, required: true },
  { key: 'roles', header: '角色', alias: 'roles', width: 28, required: true },
  { key: 'status', header: '状态', alias: 'status', width: 10 },
  { key: 'password', header: '初始密码（仅新账号）', alias: 'password', width: 20 },
];

/** Which column a problem of a staff row's field belongs to. */
export const STAFF_FIELD_COLUMN: Record<string, StaffKey> = {
  username: 'username',
  displayName: 'displayName',
  phone: 'phone',
  departmentCode: 'departmentCode',
  jurisdiction: 'jurisdiction',
  roles: 'roles',
  disabled: 'status',
  password: 'password',
};

export function staffToRow(
  a: {
    username: string;
    displayName: string;
    phone: string | null;
    departmentCode: string | null;
    jurisdiction: string | null;
    roles: string[];
    disabled: boolean;
  },
  departmentName: (code: string) => string | undefined,
): Record<StaffKey, string> {
  return {
    username: a.username,
    displayName: a.displayName,
    phone: a.phone ?? '',
    departmentCode: a.departmentCode ?? '',
    departmentName: a.departmentCode ? (departmentName(a.departmentCode) ?? '') : '',
    jurisdiction: a.jurisdiction ?? '',
    roles: a.roles.map((r) => ROLE_NAMES[r] ?? r).join('、'),
    status: a.disabled ? DISABLED : ACTIVE,
    password: '',
  };
}

const ROLE_BY_NAME = new Map(
  Object.entries(ROLE_NAMES).flatMap(([code, name]) => [
    [name, code],
    [code, code],
  ]),
);

/** A sheet row as the identity service's import row; a value it cannot read stays as written for the checks. */
export function rowToStaff(
  row: number,
  v: Record<StaffKey, string>,
): { input: StaffImportRow; problems: Array<{ field: StaffKey; zh: string; en: string }> } {
  const problems: Array<{ field: StaffKey; zh: string; en: string }> = [];
  const status = v.status.toLowerCase();
  let disabled = false;
  if ([DISABLED, '停用', 'disabled'].includes(status)) disabled = true;
  else if (!['', ACTIVE, '启用', 'active'].includes(status))
    problems.push({
      field: 'status',
      zh: `状态应为“${ACTIVE}”或“${DISABLED}”`,
      en: `the status is “${ACTIVE}” (active) or “${DISABLED}” (disabled)`,
    });
  const roles = v.roles
    .split(/[、,，;；\n]+/)
    .map((r) => r.trim())
    .filter(Boolean)
    .map((r) => ROLE_BY_NAME.get(r) ?? r);
  return {
    input: {
      row,
      username: v.username,
      displayName: v.displayName,
      phone: v.phone,
      departmentCode: v.departmentCode || null,
      jurisdiction: v.jurisdiction,
      roles,
      disabled,
      password: v.password,
    },
    problems,
  };
}

export type DepartmentKey = 'code' | 'nameZh' | 'nameEn' | 'regionCode' | 'sector';
export const DEPARTMENT_COLUMNS: ReadonlyArray<Column<DepartmentKey>> = [
  { key: 'code', header: '部门编码', alias: 'code', width: 26, required: true },
  { key: 'nameZh', header: '中文名称', alias: 'name (zh)', width: 32, required: true },
  { key: 'nameEn', header: '英文名称', alias: 'name (en)', width: 44, required: true },
  { key: 'regionCode', header: '行政区划代码', alias: 'region', width: 14, required: true },
  { key: 'sector', header: '条线', alias: 'sector', width: 20, required: true },
];
/** A Department field's pointer (name/zh …) → its column. */
export function departmentColumn(path: string[]): DepartmentKey | undefined {
  const [a, b] = path;
  if (a === 'name') return b === 'en' ? 'nameEn' : 'nameZh';
  return a === 'code' || a === 'regionCode' || a === 'sector' ? a : undefined;
}

export type ItemKey =
  | 'code'
  | 'version'
  | 'nameZh'
  | 'nameEn'
  | 'departmentCode'
  | 'departmentName'
  | 'itemType'
  | 'serviceObjects'
  | 'statutoryDays'
  | 'promisedDays'
  | 'materials'
  | 'requiredMaterials'
  | 'charged'
  | 'publishedAt';
export const ITEM_COLUMNS: ReadonlyArray<Column<ItemKey>> = [
  { key: 'code', header: '事项编码', width: 30 },
  { key: 'version', header: '版本', width: 8 },
  { key: 'nameZh', header: '事项名称', width: 36 },
  { key: 'nameEn', header: '英文名称', width: 44 },
  { key: 'departmentCode', header: '办理部门编码', width: 24 },
  { key: 'departmentName', header: '办理部门', width: 28 },
  { key: 'itemType', header: '事项类型', width: 14 },
  { key: 'serviceObjects', header: '服务对象', width: 14 },
  { key: 'statutoryDays', header: '法定办结时限（工作日）', width: 14 },
  { key: 'promisedDays', header: '承诺办结时限（工作日）', width: 14 },
  { key: 'materials', header: '申请材料数', width: 10 },
  { key: 'requiredMaterials', header: '其中必需', width: 10 },
  { key: 'charged', header: '是否收费', width: 10 },
  { key: 'publishedAt', header: '发布日期', width: 12 },
];

export function itemToRow(
  v: { version: number; content: ServiceItemContent; publishedAt: Date | null },
  departmentName: (code: string) => string | undefined,
): Record<ItemKey, string | number | null> {
  const c = v.content;
  return {
    code: c.code,
    version: v.version,
    nameZh: c.name.zh,
    nameEn: c.name.en,
    departmentCode: c.departmentCode,
    departmentName: departmentName(c.departmentCode) ?? '',
    itemType: ITEM_TYPE_NAMES[c.itemType] ?? c.itemType,
    serviceObjects: c.serviceObjects.map((o) => (o === 'person' ? '自然人' : '法人')).join('、'),
    statutoryDays: c.statutoryDays,
    promisedDays: c.promisedDays,
    materials: (c.materials ?? []).length,
    requiredMaterials: (c.materials ?? []).filter((m) => m.required).length,
    charged: c.fee?.charged ? '是' : '否',
    publishedAt: v.publishedAt ? v.publishedAt.toISOString().slice(0, 10) : null,
  };
}
