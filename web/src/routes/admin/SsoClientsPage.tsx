// The department systems that sign people in through OneThing (统一身份认证, OpenID Connect clients) within the
// administrator's jurisdiction: the list, a new one (its secret shown once), a change, a removal. First-party
// systems (no consent screen) are the province's administrators' alone (ADR 0020); the server decides, the page
// says so beforehand.
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Modal, Popconfirm, Select, Switch, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Client, RegisteredClient } from '@onething/shared/sso';
import { AUTH_METHODS, SCOPES } from '@onething/shared/sso';
import { ProblemAlert } from '../../app/ProblemAlert';
import { useLang } from '../../lib/preferences';
import { pick } from '../../lib/text';
import { showFieldProblems } from '../../lib/forms';
import { useDepartments } from '../../features/catalogue/api';
import { useSession } from '../../features/identity/api';
import { useDeleteClient, useRegisterClient, useSsoClients, useUpdateClient } from '../../features/sso/api';
import {
  CLIENT_FIELDS,
  NEW_CLIENT,
  clientChanges,
  clientValues,
  isProvinceLevel,
  registration,
  revokesIssued,
  type ClientValues,
} from '../../features/sso/clients';

type Dialog = { client?: Client } | null;

export default function SsoClientsPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const clients = useSsoClients();
  const departments = useDepartments();
  const session = useSession();
  const remove = useDeleteClient();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [secret, setSecret] = useState<RegisteredClient | null>(null);
  const jurisdiction = (session.data as { jurisdiction?: string | null } | null | undefined)?.jurisdiction ?? null;
  const deptName = (code: string | null) => (code ? pick(departments.data?.get(code)?.name, lang) || code : '—');
  return (
    <>
      <Typography.Title level={1}>{t('admin.sso.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">
        {t(isProvinceLevel(jurisdiction) ? 'admin.sso.introProvince' : 'admin.sso.introCity', {
          code: jurisdiction ?? '—',
        })}
      </Typography.Paragraph>
      <Card
        title={<h2 className="card-title">{t('admin.sso.clients', { count: clients.data?.length ?? 0 })}</h2>}
        extra={
          <Button type="primary" onClick={() => setDialog({})} data-testid="sso-client-new">
            {t('admin.sso.new')}
          </Button>
        }
      >
        <ProblemAlert error={clients.error ?? remove.error} />
        <Table<Client>
          rowKey="clientId"
          size="small"
          pagination={{ pageSize: 20 }}
          dataSource={clients.data ?? []}
          loading={clients.isPending}
          data-testid="sso-client-table"
          columns={[
            { title: t('admin.sso.name'), dataIndex: 'name', key: 'name' },
            {
              title: t('admin.sso.clientId'),
              dataIndex: 'clientId',
              key: 'clientId',
              render: (id: string) => <span className="mono">{id}</span>,
            },
            {
              title: t('admin.sso.department'),
              dataIndex: 'departmentCode',
              key: 'dept',
              render: (c: string | null) => deptName(c),
            },
            {
              title: t('admin.sso.jurisdiction'),
              dataIndex: 'jurisdiction',
              key: 'jur',
              render: (c: string) => <span className="mono">{c}</span>,
            },
            {
              title: t('admin.sso.authMethod'),
              dataIndex: 'authMethod',
              key: 'auth',
              render: (m: string) => t(`admin.sso.authMethods.${m}`),
            },
            {
              title: t('admin.sso.scopes'),
              dataIndex: 'scopes',
              key: 'scopes',
              render: (ss: string[]) =>
                ss.map((s) => (
                  <Tag key={s} className="mono">
                    {s}
                  </Tag>
                )),
            },
            {
              title: t('admin.sso.consent'),
              dataIndex: 'firstParty',
              key: 'firstParty',
              render: (f: boolean) =>
                f ? <Tag color="gold">{t('admin.sso.firstParty')}</Tag> : <Tag>{t('admin.sso.asksConsent')}</Tag>,
            },
            {
              title: t('admin.people.actions'),
              key: 'actions',
              render: (_, c) => (
                <div className="admin-tools">
                  <Button
                    size="small"
                    onClick={() => setDialog({ client: c })}
                    aria-label={t('admin.sso.edit', { name: c.name })}
                  >
                    {t('admin.people.edit')}
                  </Button>
                  <Popconfirm
                    title={t('admin.sso.deleteConfirm', { name: c.name })}
                    okText={t('common.delete')}
                    cancelText={t('common.cancel')}
                    okButtonProps={{ danger: true }}
                    onConfirm={() => remove.mutate(c.clientId)}
                  >
                    <Button size="small" danger aria-label={t('admin.sso.delete', { name: c.name })}>
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                </div>
              ),
            },
          ]}
        />
      </Card>
      {dialog && (
        <ClientDialog
          client={dialog.client}
          departments={[...(departments.data?.values() ?? [])].map((d) => ({
            value: d.code,
            label: `${pick(d.name, lang)} (${d.code} · ${d.regionCode})`,
          }))}
          provinceLevel={isProvinceLevel(jurisdiction)}
          onClose={() => setDialog(null)}
          onRegistered={(c) => c.clientSecret && setSecret(c)}
        />
      )}
      {secret && (
        <Modal
          open
          title={t('admin.sso.secretTitle', { name: secret.name })}
          onCancel={() => setSecret(null)}
          footer={[
            <Button key="ok" type="primary" onClick={() => setSecret(null)}>
              {t('admin.sso.secretDone')}
            </Button>,
          ]}
        >
          <Alert type="warning" showIcon title={t('admin.sso.secretOnce')} />
          <Typography.Paragraph>
            {t('admin.sso.clientId')}:{' '}
            <Typography.Text code copyable>
              {secret.clientId}
            </Typography.Text>
          </Typography.Paragraph>
          <Typography.Paragraph>
            {t('admin.sso.secret')}:{' '}
            <Typography.Text code copyable data-testid="sso-client-secret">
              {secret.clientSecret}
            </Typography.Text>
          </Typography.Paragraph>
        </Modal>
      )}
    </>
  );
}

const LABELS: Record<string, string> = {
  name: 'name',
  departmentCode: 'department',
  jurisdiction: 'jurisdiction',
  redirectUris: 'redirectUris',
  postLogoutRedirectUris: 'postLogoutRedirectUris',
  authMethod: 'authMethod',
  scopes: 'scopes',
  firstParty: 'firstPartyLabel',
};

/** Registers a client (`client` absent) or changes one; the authentication method is fixed at registration. */
function ClientDialog({
  client,
  departments,
  provinceLevel,
  onClose,
  onRegistered,
}: {
  client?: Client;
  departments: Array<{ value: string; label: string }>;
  provinceLevel: boolean;
  onClose: () => void;
  onRegistered: (c: RegisteredClient) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ClientValues>();
  const register = useRegisterClient();
  const update = useUpdateClient();
  const mutation = client ? update : register;
  const required = { required: true, whitespace: true, message: t('admin.people.required') };

  const finish = (v: ClientValues) => {
    const onError = (err: unknown) => showFieldProblems(form, err, CLIENT_FIELDS);
    if (!client) {
      register.mutate(registration(v), {
        onSuccess: (c) => {
          onClose();
          onRegistered(c);
        },
        onError,
      });
      return;
    }
    const change = clientChanges(client, v);
    if (Object.keys(change).length === 0) return onClose();
    update.mutate({ clientId: client.clientId, change }, { onSuccess: onClose, onError });
  };
  const values = Form.useWatch([], form) as ClientValues | undefined;
  const revokes = !!client && !!values && revokesIssued(client, clientChanges(client, values));

  return (
    <Modal
      open
      title={client ? t('admin.sso.edit', { name: client.name }) : t('admin.sso.new')}
      width={680}
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
          data-testid="sso-client-save"
        >
          {t('admin.people.save')}
        </Button>,
      ]}
    >
      <Form<ClientValues>
        form={form}
        layout="vertical"
        requiredMark
        onFinish={finish}
        initialValues={client ? clientValues(client) : NEW_CLIENT}
      >
        <Form.Item name="name" label={t('admin.sso.name')} rules={[required]} extra={t('admin.sso.nameHelp')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="departmentCode"
          label={t('admin.sso.department')}
          rules={client?.departmentCode === null ? [] : [{ required: true, message: t('admin.people.required') }]}
        >
          <Select showSearch={{ optionFilterProp: 'label' }} options={departments} />
        </Form.Item>
        <Form.Item name="jurisdiction" label={t('admin.sso.jurisdiction')} extra={t('admin.sso.jurisdictionHelp')}>
          <Input autoComplete="off" className="mono" maxLength={12} />
        </Form.Item>
        <Form.Item
          name="redirectUris"
          label={t('admin.sso.redirectUris')}
          rules={[required]}
          extra={t('admin.sso.redirectUrisHelp')}
        >
          <Input.TextArea className="mono" autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
        <Form.Item name="postLogoutRedirectUris" label={t('admin.sso.postLogoutRedirectUris')}>
          <Input.TextArea className="mono" autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
        <Form.Item name="authMethod" label={t('admin.sso.authMethod')} extra={t('admin.sso.authMethodHelp')}>
          <Select
            disabled={!!client}
            options={AUTH_METHODS.map((m) => ({ value: m, label: t(`admin.sso.authMethods.${m}`) }))}
          />
        </Form.Item>
        <Form.Item name="scopes" label={t('admin.sso.scopes')} extra={t('admin.sso.scopesHelp')}>
          <Select mode="multiple" options={SCOPES.map((s) => ({ value: s, label: s }))} />
        </Form.Item>
        <Form.Item
          name="firstParty"
          label={t('admin.sso.firstPartyLabel')}
          valuePropName="checked"
          extra={t(provinceLevel ? 'admin.sso.firstPartyHelp' : 'admin.sso.firstPartyProvinceOnly')}
        >
          <Switch disabled={!provinceLevel && !values?.firstParty} />
        </Form.Item>
        {revokes && <Alert type="warning" showIcon title={t('admin.sso.revokes')} />}
        <ProblemAlert
          error={mutation.error}
          fieldName={(pointer) => {
            const key = LABELS[pointer.split('/')[1] ?? ''];
            return key ? t(`admin.sso.${key}`) : undefined;
          }}
        />
      </Form>
    </Modal>
  );
}
