// The window (综合窗口) and township (基层一平台) workbench: identify the person in front of the clerk from their ID
// card, confirm their consent (their ID card read here, or a code sent to their phone that they read out), and
// act for them. While acting, the page lists every one-thing the consent
// covers (items of many departments in one view) with a button into the same application pages the person would
// use, the applications submitted for them with a printable receipt each, and the button that ends the visit.
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Card, Checkbox, Form, Input, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../app/ProblemAlert';
import { useLang } from '../../lib/preferences';
import { pick } from '../../lib/text';
import type { ApplicationSummary } from '@onething/shared/applications';
import { useApplications } from '../../features/applications/api';
import { useBundles } from '../../features/catalogue/api';
import type { WindowConsentMethod } from '@onething/shared/identity';
import { useSession } from '../../features/identity/api';
import {
  CONSENT_METHOD_ORDER,
  confirmationOf,
  useSendConsentCode,
  useStartAssisting,
  useStopAssisting,
  windowProxyOf,
} from '../../features/identity/window';
import { WindowIdentity } from './WindowIdentity';
import './staff.css';
import './window.css';

interface ConsentForm {
  name: string;
  idNumber: string;
  method: WindowConsentMethod;
  cardRead?: boolean;
  reference?: string;
  code?: string;
  scope: 'all' | 'bundles';
  bundles?: string[];
}

export default function WindowPage() {
  const { t } = useTranslation();
  const session = useSession();
  const proxy = windowProxyOf(session.data);
  return (
    <div className="staff-page window-page">
      <Typography.Title level={1}>{t('staff.window.title')}</Typography.Title>
      <Typography.Paragraph className="muted">{t('staff.window.intro')}</Typography.Paragraph>
      {proxy ? <Assisting name={proxy.name} bundles={proxy.bundles} /> : <Identify />}
      {!proxy && <WindowIdentity />}
    </div>
  );
}

function Identify() {
  const { t } = useTranslation();
  const lang = useLang();
  const [form] = Form.useForm<ConsentForm>();
  const start = useStartAssisting();
  const send = useSendConsentCode();
  const bundles = useBundles({ limit: 100 });
  const scope = Form.useWatch('scope', form);
  const method = Form.useWatch('method', form);
  // Field problems from the server (e.g. /person/idNumber) are shown on their fields.
  const fieldOf: Record<string, keyof ConsentForm> = {
    '/person/idNumber': 'idNumber',
    '/person/name': 'name',
    '/consent/reference': 'reference',
    '/consent/code': 'code',
    '/scope/bundles': 'bundles',
  };
  const showProblems = (err: unknown) => {
    const problems =
      (err as { problem?: { errors?: Array<{ pointer: string; detail: string }> } }).problem?.errors ?? [];
    form.setFields(
      problems.filter((p) => fieldOf[p.pointer]).map((p) => ({ name: fieldOf[p.pointer]!, errors: [p.detail] })),
    );
  };
  const person = (v: Pick<ConsentForm, 'name' | 'idNumber'>) => ({
    name: v.name.trim(),
    idNumber: v.idNumber.trim().toUpperCase(),
  });

  const sendCode = async () => {
    const v = await form.validateFields(['name', 'idNumber']);
    send.mutate(person(v), { onError: showProblems });
  };

  const submit = (v: ConsentForm) => {
    const consent = confirmationOf(v, send.data ?? null);
    if (!consent) {
      form.setFields([
        v.method === 'sms_code'
          ? { name: 'code', errors: [t(send.data ? 'staff.window.codeInvalid' : 'staff.window.codeFirst')] }
          : { name: 'cardRead', errors: [t('staff.window.cardReadRequired')] },
      ]);
      return;
    }
    start.mutate(
      {
        person: person(v),
        scope: v.scope === 'all' ? { all: true } : { bundles: v.bundles ?? [] },
        consent,
      },
      { onError: showProblems },
    );
  };

  return (
    <Card title={<h2 className="card-title">{t('staff.window.identify')}</h2>}>
      <Form<ConsentForm>
        form={form}
        layout="vertical"
        initialValues={{ method: 'id_card_reader', scope: 'all' }}
        onFinish={submit}
        // A code belongs to the person it was sent to: another name or number needs a new one.
        onValuesChange={(changed) => ('name' in changed || 'idNumber' in changed) && send.data && send.reset()}
        className="window-form"
        requiredMark
      >
        <Space size="large" wrap align="start">
          <Form.Item
            name="name"
            label={t('staff.window.name')}
            rules={[{ required: true, whitespace: true, message: t('staff.window.nameRequired') }]}
          >
            <Input style={{ width: 200 }} autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="idNumber"
            label={t('staff.window.idNumber')}
            rules={[{ required: true, pattern: /^\s*\d{17}[\dXx]\s*$/, message: t('staff.window.idNumberInvalid') }]}
          >
            <Input style={{ width: 240 }} autoComplete="off" className="mono" />
          </Form.Item>
        </Space>
        <Form.Item name="method" label={t('staff.window.method')}>
          <Radio.Group
            options={CONSENT_METHOD_ORDER.map((m) => ({ value: m, label: t(`staff.window.methods.${m}`) }))}
          />
        </Form.Item>
        {method === 'sms_code' ? (
          <>
            <Space size="middle" wrap align="start">
              <Form.Item name="code" label={t('staff.window.code')}>
                <Input style={{ width: 160 }} maxLength={6} inputMode="numeric" autoComplete="one-time-code" />
              </Form.Item>
              <Form.Item label=" ">
                <Button onClick={sendCode} loading={send.isPending}>
                  {t(send.data ? 'staff.window.resendCode' : 'staff.window.sendCode')}
                </Button>
              </Form.Item>
            </Space>
            {send.data && (
              <Alert
                type="success"
                showIcon
                className="window-note"
                data-testid="code-sent"
                title={t('staff.window.codeSent', { destination: send.data.destination, minutes: 10 })}
              />
            )}
            <ProblemAlert error={send.error} />
          </>
        ) : (
          <>
            <Form.Item name="cardRead" valuePropName="checked">
              <Checkbox>{t('staff.window.cardRead')}</Checkbox>
            </Form.Item>
            <Form.Item name="reference" label={t('staff.window.reference')} extra={t('staff.window.referenceHelp')}>
              <Input style={{ width: 320 }} maxLength={100} />
            </Form.Item>
          </>
        )}
        <Form.Item name="scope" label={t('staff.window.scope')}>
          <Radio.Group
            options={[
              { value: 'all', label: t('staff.window.scopeAll') },
              { value: 'bundles', label: t('staff.window.scopeBundles') },
            ]}
          />
        </Form.Item>
        {scope === 'bundles' && (
          <Form.Item
            name="bundles"
            label={t('staff.window.bundles')}
            rules={[{ required: true, type: 'array', min: 1, message: t('staff.window.bundlesRequired') }]}
          >
            <Select
              mode="multiple"
              style={{ maxWidth: 560 }}
              options={(bundles.data?.items ?? []).map((b) => ({ value: b.code, label: pick(b.name, lang) }))}
            />
          </Form.Item>
        )}
        <Alert type="info" showIcon title={t('staff.window.consentNote')} className="window-note" />
        <ProblemAlert error={start.error} />
        <Button type="primary" htmlType="submit" size="large" loading={start.isPending}>
          {t('staff.window.start')}
        </Button>
      </Form>
    </Card>
  );
}

function Assisting({ name, bundles: scoped }: { name: string; bundles: string[] | null }) {
  const { t } = useTranslation();
  const lang = useLang();
  const stop = useStopAssisting();
  const bundles = useBundles({ limit: 100 });
  const applications = useApplications();
  const [filter, setFilter] = useState('');
  const bundleName = useMemo(() => new Map((bundles.data?.items ?? []).map((b) => [b.code, b.name])), [bundles.data]);
  const open = (bundles.data?.items ?? [])
    .filter((b) => !scoped || scoped.includes(b.code))
    .filter((b) => !filter || pick(b.name, lang).includes(filter) || b.code.includes(filter));

  return (
    <>
      <Alert
        type="warning"
        showIcon
        data-testid="assisting"
        title={t('staff.window.assisting', { name })}
        description={
          scoped
            ? t('staff.window.assistingScope', {
                bundles: scoped.map((c) => pick(bundleName.get(c), lang) || c).join(lang === 'zh' ? '、' : ', '),
              })
            : t('staff.window.assistingAll')
        }
        action={
          <Button onClick={() => stop.mutate()} loading={stop.isPending} danger>
            {t('staff.window.finish')}
          </Button>
        }
      />
      <ProblemAlert error={stop.error} />
      <Card title={<h2 className="card-title">{t('staff.window.submitted')}</h2>}>
        <ProblemAlert error={applications.error} />
        <Table<ApplicationSummary>
          rowKey="id"
          size="middle"
          pagination={false}
          loading={applications.isFetching}
          dataSource={applications.data ?? []}
          locale={{ emptyText: t('staff.window.noneSubmitted') }}
          columns={[
            {
              title: t('staff.queue.application'),
              dataIndex: 'number',
              key: 'number',
              render: (n: string) => <span className="mono">{n}</span>,
            },
            {
              title: t('staff.queue.bundle'),
              key: 'bundle',
              render: (_, a) => pick(bundleName.get(a.bundle.code), lang) || a.bundle.code,
            },
            { title: t('staff.window.submittedOn'), dataIndex: 'submittedOn', key: 'on' },
            {
              title: t('staff.window.promised'),
              dataIndex: 'promisedDate',
              key: 'promised',
              render: (d: string | null) => d ?? '—',
            },
            {
              title: t('staff.queue.status'),
              dataIndex: 'status',
              key: 'status',
              render: (s: string) => <Tag>{t(`applicationStatus.${s}`, { defaultValue: s })}</Tag>,
            },
            {
              title: '',
              key: 'receipt',
              render: (_, a) => (
                <Link to={`/staff/window/receipt/${a.id}`} data-testid={`receipt-${a.number}`}>
                  {t('staff.window.printReceipt')}
                </Link>
              ),
            },
          ]}
        />
      </Card>
      <Card title={<h2 className="card-title">{t('staff.window.apply')}</h2>}>
        <Input.Search
          allowClear
          placeholder={t('staff.window.search')}
          aria-label={t('staff.window.search')}
          onSearch={setFilter}
          onChange={(e) => !e.target.value && setFilter('')}
          style={{ maxWidth: 360, marginBottom: 12 }}
        />
        <ul className="window-bundles">
          {open.map((b) => (
            <li key={b.code}>
              <div>
                <strong>{pick(b.name, lang)}</strong>
                <div className="muted">{t('bundle.itemCount', { count: b.itemCount })}</div>
              </div>
              <Link to={`/bundles/${b.code}/apply`} className="ant-btn ant-btn-default" data-testid={`apply-${b.code}`}>
                {t('staff.window.applyFor')}
              </Link>
            </li>
          ))}
        </ul>
      </Card>
    </>
  );
}
