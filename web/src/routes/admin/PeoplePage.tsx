// Departments, staff accounts and roles within the administrator's jurisdiction: lists, a new staff account and
// a staff account's changes (roles, place, status), a department created or updated; staff and departments
// exported to and imported from Excel.
import { useState } from 'react';
import { Button, Card, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../app/ProblemAlert';
import { useLang } from '../../lib/preferences';
import { pick } from '../../lib/text';
import type { Department } from '@onething/shared/catalogue';
import { useDepartments } from '../../features/catalogue/api';
import type { RolePermissions, StaffAccount } from '@onething/shared/identity';
import { useRoles, useStaffAccounts } from '../../features/identity/admin';
import { useSession } from '../../features/identity/api';
import { ExportButton, useImportTool } from './ExcelTools';
import { DepartmentDialog, StaffDialog } from './PeopleDialogs';

type Dialog = { kind: 'staff'; account?: StaffAccount } | { kind: 'department'; department?: Department } | null;

export default function PeoplePage() {
  const { t } = useTranslation();
  const lang = useLang();
  const departments = useDepartments();
  const staff = useStaffAccounts();
  const roles = useRoles();
  const session = useSession();
  const [dialog, setDialog] = useState<Dialog>(null);
  const jurisdiction = (session.data as { jurisdiction?: string | null } | null | undefined)?.jurisdiction ?? null;
  const deptName = (code: string | null) => (code ? pick(departments.data?.get(code)?.name, lang) || code : '—');
  const deptRows = [...(departments.data?.values() ?? [])];
  const close = () => setDialog(null);
  const importStaff = useImportTool('accounts', t('admin.excel.importStaff'));
  const importDepartments = useImportTool('departments', t('admin.excel.importDepartments'));
  return (
    <>
      <Typography.Title level={1}>{t('admin.people.title')}</Typography.Title>
      <Card
        title={<h2 className="card-title">{t('admin.people.departments', { count: deptRows.length })}</h2>}
        extra={
          <div className="admin-tools">
            <ExportButton sheet="departments" label={t('admin.excel.exportDepartments')} testId="departments-export" />
            {importDepartments.button}
            <Button onClick={() => setDialog({ kind: 'department' })} data-testid="department-new">
              {t('admin.people.newDepartment')}
            </Button>
          </div>
        }
      >
        <ProblemAlert error={departments.error} />
        {importDepartments.result}
        <Table<Department>
          rowKey="code"
          size="small"
          pagination={{ pageSize: 10 }}
          dataSource={deptRows}
          loading={departments.isPending}
          data-testid="department-table"
          columns={[
            {
              title: t('admin.people.code'),
              dataIndex: 'code',
              key: 'code',
              render: (c: string) => <span className="mono">{c}</span>,
            },
            { title: t('admin.people.name'), key: 'name', render: (_, d) => pick(d.name, lang) },
            {
              title: t('admin.people.region'),
              dataIndex: 'regionCode',
              key: 'region',
              render: (c: string) => <span className="mono">{c}</span>,
            },
            {
              title: t('admin.people.sector'),
              dataIndex: 'sector',
              key: 'sector',
              render: (c: string) => <span className="mono">{c}</span>,
            },
            {
              title: t('admin.people.actions'),
              key: 'actions',
              render: (_, d) => (
                <Button
                  size="small"
                  onClick={() => setDialog({ kind: 'department', department: d })}
                  aria-label={t('admin.people.editDepartment', { code: d.code })}
                >
                  {t('admin.people.edit')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <Card
        title={<h2 className="card-title">{t('admin.people.staff', { count: staff.data?.length ?? 0 })}</h2>}
        extra={
          <div className="admin-tools">
            <ExportButton sheet="accounts" label={t('admin.excel.exportStaff')} testId="accounts-export" />
            {importStaff.button}
            <Button type="primary" onClick={() => setDialog({ kind: 'staff' })} data-testid="staff-new">
              {t('admin.people.newStaff')}
            </Button>
          </div>
        }
      >
        <ProblemAlert error={staff.error} />
        {importStaff.result}
        <Table<StaffAccount>
          rowKey="id"
          size="small"
          pagination={{ pageSize: 10 }}
          dataSource={staff.data ?? []}
          loading={staff.isPending}
          data-testid="staff-table"
          columns={[
            {
              title: t('admin.people.username'),
              dataIndex: 'username',
              key: 'username',
              render: (u: string) => <span className="mono">{u}</span>,
            },
            { title: t('admin.people.displayName'), dataIndex: 'displayName', key: 'name' },
            {
              title: t('admin.people.department'),
              dataIndex: 'departmentCode',
              key: 'dept',
              render: (c: string | null) => deptName(c),
            },
            {
              title: t('admin.people.jurisdiction'),
              dataIndex: 'jurisdiction',
              key: 'jur',
              render: (c: string | null) => <span className="mono">{c ?? '—'}</span>,
            },
            {
              title: t('admin.people.roles'),
              dataIndex: 'roles',
              key: 'roles',
              render: (rs: string[]) => rs.map((r) => <Tag key={r}>{t(`admin.roles.${r}`, { defaultValue: r })}</Tag>),
            },
            {
              title: t('admin.people.state'),
              dataIndex: 'disabled',
              key: 'disabled',
              render: (d: boolean) =>
                d ? (
                  <Tag color="red">{t('admin.people.disabled')}</Tag>
                ) : (
                  <Tag color="green">{t('admin.people.active')}</Tag>
                ),
            },
            {
              title: t('admin.people.actions'),
              key: 'actions',
              render: (_, a) => (
                <Button
                  size="small"
                  onClick={() => setDialog({ kind: 'staff', account: a })}
                  aria-label={t('admin.people.editStaff', { name: a.displayName })}
                >
                  {t('admin.people.edit')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <Card title={<h2 className="card-title">{t('admin.people.roleTable')}</h2>}>
        <ProblemAlert error={roles.error} />
        <Table<RolePermissions>
          rowKey="role"
          size="small"
          pagination={false}
          dataSource={roles.data ?? []}
          loading={roles.isPending}
          columns={[
            {
              title: t('admin.people.role'),
              dataIndex: 'role',
              key: 'role',
              render: (r: string) => t(`admin.roles.${r}`, { defaultValue: r }),
            },
            {
              title: t('admin.people.permissions'),
              key: 'perms',
              render: (_, r) =>
                r.permissions.map((p) => (
                  <Tag key={p.code} className="mono">
                    {p.code} · {p.scope}
                  </Tag>
                )),
            },
          ]}
        />
      </Card>
      {dialog?.kind === 'staff' && (
        <StaffDialog
          account={dialog.account}
          departments={deptRows}
          roles={roles.data ?? []}
          jurisdiction={jurisdiction}
          onClose={close}
        />
      )}
      {dialog?.kind === 'department' && <DepartmentDialog department={dialog.department} onClose={close} />}
    </>
  );
}
