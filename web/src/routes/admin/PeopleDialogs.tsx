// The people page's dialogs: a new staff account, a staff account's changes, a department. Field problems the
// server names (problem+json, in the user's language) are shown on their fields; the rest above the buttons.
import type { ReactNode } from 'react';
import { Button, Form, Input, Modal, Select, Switch, type FormInstance, type FormProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../app/ProblemAlert';
import { useLang } from '../../lib/preferences';
import { pick, type LocalText } from '../../lib/text';
import type { RolePermissions, StaffAccount, StaffBody, StaffPatchBody } from '@onething/shared/identity';
import { showFieldProblems } from '../../lib/forms';
import { useCreateStaff, useUpdateStaff } from '../../features/identity/admin';
import { useSaveDepartment, type DepartmentInput } from '../../features/catalogue/admin';

interface DepartmentOption {
  code: string;
  name: LocalText;
}

const STAFF_FIELDS = [
  'username',
  'displayName',
  'password',
  'phone',
  'departmentCode',
  'jurisdiction',
  'roles',
  'disabled',
];
const DEPARTMENT_FIELDS = ['code', 'name.zh', 'name.en', 'regionCode', 'sector'];

type T = (key: string) => string;
const STAFF_LABELS: Record<string, string> = {
  username: 'username',
  displayName: 'displayName',
  password: 'password',
  phone: 'phone',
  departmentCode: 'department',
  jurisdiction: 'jurisdiction',
  roles: 'roles',
  disabled: 'disableLabel',
};
/** "/roles/1" → 角色: the name the user saw on the form. */
const staffLabel = (pointer: string, t: T) => {
  const key = STAFF_LABELS[pointer.split('/')[1] ?? ''];
  return key ? t(`admin.people.${key}`) : undefined;
};
const departmentLabel = (pointer: string, t: T) => {
  const [, a, b] = pointer.split('/');
  const key =
    a === 'name'
      ? b === 'en'
        ? 'nameEn'
        : 'nameZh'
      : a === 'regionCode'
        ? 'region'
        : a === 'code' || a === 'sector'
          ? a
          : undefined;
  return key ? t(`admin.people.${key}`) : undefined;
};

/**
 * A dialog around one form: cancel closes it, save submits the form (`saveTestId` names the button), and the
 * mutation's problem shows above the buttons, its field pointers named by `fieldName`.
 */
function FormDialog<V>({
  title,
  width,
  form,
  mutation,
  fieldName,
  saveTestId,
  onClose,
  onFinish,
  initialValues,
  className,
  children,
}: {
  title: string;
  width: number;
  form: FormInstance<V>;
  mutation: { isPending: boolean; error: unknown };
  fieldName: (pointer: string) => string | undefined;
  saveTestId: string;
  onClose: () => void;
  onFinish: (values: V) => void;
  initialValues: FormProps<V>['initialValues'];
  className?: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open
      title={title}
      width={width}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button
          key="ok"
          type="primary"
          loading={mutation.isPending}
          onClick={() => form.submit()}
          data-testid={saveTestId}
        >
          {t('admin.people.save')}
        </Button>,
      ]}
    >
      <Form<V>
        form={form}
        layout="vertical"
        requiredMark
        onFinish={onFinish}
        initialValues={initialValues}
        className={className}
      >
        {children}
        <ProblemAlert error={mutation.error} fieldName={fieldName} />
      </Form>
    </Modal>
  );
}

interface StaffValues {
  username: string;
  displayName: string;
  password: string;
  phone: string;
  departmentCode?: string | null;
  jurisdiction: string;
  roles: string[];
  disabled: boolean;
}

/** Creates a staff account (`account` absent) or changes one. */
export function StaffDialog({
  account,
  departments,
  roles,
  jurisdiction,
  onClose,
}: {
  account?: StaffAccount;
  departments: DepartmentOption[];
  roles: RolePermissions[];
  jurisdiction: string | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const [form] = Form.useForm<StaffValues>();
  const create = useCreateStaff();
  const update = useUpdateStaff();
  const mutation = account ? update : create;
  const required = { required: true, whitespace: true, message: t('admin.people.required') };

  const finish = (v: StaffValues) => {
    const onError = (err: unknown) => showFieldProblems(form, err, STAFF_FIELDS);
    if (!account) {
      const input: StaffBody = {
        username: v.username.trim(),
        displayName: v.displayName.trim(),
        password: v.password,
        phone: (v.phone ?? '').trim(),
        departmentCode: v.departmentCode ?? null,
        jurisdiction: (v.jurisdiction ?? '').trim(),
        roles: v.roles ?? [],
      };
      create.mutate(input, { onSuccess: onClose, onError });
      return;
    }
    const patch: StaffPatchBody = {};
    if (v.displayName.trim() !== account.displayName) patch.displayName = v.displayName.trim();
    if (v.phone?.trim()) patch.phone = v.phone.trim();
    if ((v.departmentCode ?? null) !== account.departmentCode) patch.departmentCode = v.departmentCode ?? null;
    if (v.jurisdiction.trim() !== (account.jurisdiction ?? '')) patch.jurisdiction = v.jurisdiction.trim();
    if ([...(v.roles ?? [])].sort().join() !== [...account.roles].sort().join()) patch.roles = v.roles ?? [];
    if (v.disabled !== account.disabled) patch.disabled = v.disabled;
    if (Object.keys(patch).length === 0) return onClose();
    update.mutate({ id: account.id, patch }, { onSuccess: onClose, onError });
  };

  const title = account ? t('admin.people.editStaff', { name: account.displayName }) : t('admin.people.newStaff');
  return (
    <FormDialog<StaffValues>
      title={title}
      width={640}
      form={form}
      mutation={mutation}
      fieldName={(pointer) => staffLabel(pointer, t)}
      saveTestId="staff-save"
      onClose={onClose}
      onFinish={finish}
      initialValues={
        account
          ? {
              displayName: account.displayName,
              phone: '',
              departmentCode: account.departmentCode,
              jurisdiction: account.jurisdiction ?? '',
              roles: account.roles,
              disabled: account.disabled,
            }
          : { jurisdiction: jurisdiction ?? '', roles: [], departmentCode: null, disabled: false }
      }
      className="people-form"
    >
      {!account && (
        <Form.Item
          name="username"
          label={t('admin.people.username')}
          rules={[required]}
          extra={t('admin.people.usernameHelp')}
        >
          <Input autoComplete="off" className="mono" maxLength={40} />
        </Form.Item>
      )}
      <Form.Item name="displayName" label={t('admin.people.displayName')} rules={[required]}>
        <Input autoComplete="off" maxLength={60} />
      </Form.Item>
      {!account && (
        <Form.Item
          name="password"
          label={t('admin.people.password')}
          rules={[required]}
          extra={t('admin.people.passwordHelp')}
        >
          <Input.Password autoComplete="new-password" maxLength={200} />
        </Form.Item>
      )}
      <Form.Item
        name="phone"
        label={t('admin.people.phone')}
        rules={account ? [] : [required]}
        extra={account?.phone ? t('admin.people.phoneKeep', { phone: account.phone }) : undefined}
      >
        <Input autoComplete="off" className="mono" maxLength={20} placeholder={account?.phone ?? undefined} />
      </Form.Item>
      <Form.Item name="departmentCode" label={t('admin.people.department')}>
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          options={departments.map((d) => ({ value: d.code, label: `${pick(d.name, lang)} (${d.code})` }))}
        />
      </Form.Item>
      <Form.Item
        name="jurisdiction"
        label={t('admin.people.jurisdiction')}
        rules={[required]}
        extra={t('admin.people.jurisdictionHelp', { code: jurisdiction ?? '—' })}
      >
        <Input autoComplete="off" className="mono" maxLength={12} />
      </Form.Item>
      <Form.Item name="roles" label={t('admin.people.roles')}>
        <Select
          mode="multiple"
          showSearch={{ optionFilterProp: 'label' }}
          options={roles
            .filter((r) => r.audience === 'staff')
            .map((r) => ({ value: r.role, label: t(`admin.roles.${r.role}`, { defaultValue: r.role }) }))}
        />
      </Form.Item>
      {account && (
        <Form.Item
          name="disabled"
          label={t('admin.people.disableLabel')}
          valuePropName="checked"
          extra={t('admin.people.disableHelp')}
        >
          <Switch checkedChildren={t('admin.people.disabled')} unCheckedChildren={t('admin.people.active')} />
        </Form.Item>
      )}
    </FormDialog>
  );
}

interface DepartmentValues {
  code: string;
  name: LocalText;
  regionCode: string;
  sector: string;
}

/** Creates a department (`department` absent) or updates one; the code names it and does not change. */
export function DepartmentDialog({ department, onClose }: { department?: DepartmentInput; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<DepartmentValues>();
  const save = useSaveDepartment();
  const required = { required: true, whitespace: true, message: t('admin.people.required') };
  const finish = (v: DepartmentValues) =>
    save.mutate(
      {
        code: v.code.trim(),
        name: { zh: v.name.zh.trim(), en: v.name.en.trim() },
        regionCode: v.regionCode.trim(),
        sector: v.sector.trim(),
      },
      { onSuccess: onClose, onError: (err) => showFieldProblems(form, err, DEPARTMENT_FIELDS) },
    );
  return (
    <FormDialog<DepartmentValues>
      title={department ? t('admin.people.editDepartment', { code: department.code }) : t('admin.people.newDepartment')}
      width={560}
      form={form}
      mutation={save}
      fieldName={(pointer) => departmentLabel(pointer, t)}
      saveTestId="department-save"
      onClose={onClose}
      onFinish={finish}
      initialValues={department ?? {}}
    >
      <Form.Item name="code" label={t('admin.people.code')} rules={[required]} extra={t('admin.people.codeHelp')}>
        <Input className="mono" disabled={!!department} maxLength={64} />
      </Form.Item>
      <Form.Item name={['name', 'zh']} label={t('admin.people.nameZh')} rules={[required]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name={['name', 'en']} label={t('admin.people.nameEn')} rules={[required]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="regionCode" label={t('admin.people.region')} rules={[required]}>
        <Input className="mono" maxLength={6} />
      </Form.Item>
      <Form.Item name="sector" label={t('admin.people.sector')} rules={[required]} extra={t('admin.people.sectorHelp')}>
        <Input className="mono" maxLength={64} />
      </Form.Item>
    </FormDialog>
  );
}
