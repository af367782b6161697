// 实名核验 at the window: the clerk checks the ID card of the person present and binds its number to the account
// they name (real-name level 3). When another account holds the number, the server says so and the clerk, having
// checked the card, confirms the reclaim: that account is frozen and the number moves here.
import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Form, Input, Radio, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { ID_CARD_CHECKS } from '@onething/shared/identity';
import { ProblemAlert } from '../../app/ProblemAlert';
import { showFieldProblems } from '../../lib/forms';
import {
  isNumberHeld,
  useProveAtWindow,
  windowProofBody,
  type WindowProofForm,
} from '../../features/identity/proofing';

const FIELDS = ['username', 'person.name', 'person.idNumber', 'idCard.reference', 'reclaim'];

export function WindowIdentity() {
  const { t } = useTranslation();
  const [form] = Form.useForm<WindowProofForm>();
  const prove = useProveAtWindow();
  const [held, setHeld] = useState(false);

  const submit = (v: WindowProofForm) =>
    prove.mutate(windowProofBody(v, held), {
      onSuccess: () => setHeld(false),
      onError: (err) => {
        setHeld(isNumberHeld(err));
        showFieldProblems(form, err, FIELDS);
      },
    });

  const done = prove.data;
  return (
    <Card title={<h2 className="card-title">{t('proofing.window.title')}</h2>}>
      <Form<WindowProofForm>
        form={form}
        layout="vertical"
        initialValues={{ idCard: { check: 'id_card_reader' } }}
        onFinish={submit}
        onValuesChange={() => prove.isSuccess && prove.reset()}
        className="window-form"
        requiredMark
      >
        <Space size="large" wrap align="start">
          <Form.Item
            name="username"
            label={t('proofing.window.username')}
            rules={[{ required: true, whitespace: true, message: t('proofing.window.usernameRequired') }]}
          >
            <Input style={{ width: 200 }} autoComplete="off" />
          </Form.Item>
          <Form.Item
            name={['person', 'name']}
            label={t('staff.window.name')}
            rules={[{ required: true, whitespace: true, message: t('staff.window.nameRequired') }]}
          >
            <Input style={{ width: 200 }} autoComplete="off" />
          </Form.Item>
          <Form.Item
            name={['person', 'idNumber']}
            label={t('staff.window.idNumber')}
            rules={[{ required: true, pattern: /^\s*\d{17}[\dXx]\s*$/, message: t('staff.window.idNumberInvalid') }]}
          >
            <Input style={{ width: 240 }} autoComplete="off" className="mono" />
          </Form.Item>
        </Space>
        <Form.Item name={['idCard', 'check']} label={t('proofing.window.check')}>
          <Radio.Group options={ID_CARD_CHECKS.map((c) => ({ value: c, label: t(`proofing.window.checks.${c}`) }))} />
        </Form.Item>
        <Form.Item name={['idCard', 'reference']} label={t('proofing.window.reference')}>
          <Input style={{ width: 320 }} maxLength={100} />
        </Form.Item>
        {held && (
          <Form.Item name="reclaim" valuePropName="checked" extra={t('proofing.window.reclaimHelp')}>
            <Checkbox data-testid="reclaim">{t('proofing.window.reclaim')}</Checkbox>
          </Form.Item>
        )}
        {done && (
          <Alert
            type="success"
            showIcon
            className="window-note"
            title={t('proofing.window.done', { name: done.account.displayName, username: done.account.username })}
            description={
              done.reclaimedFrom ? t('proofing.window.reclaimed', { username: done.reclaimedFrom.username }) : undefined
            }
          />
        )}
        <ProblemAlert error={prove.error} />
        <Button type="primary" htmlType="submit" loading={prove.isPending} danger={held}>
          {held ? t('proofing.window.submitReclaim') : t('proofing.window.submit')}
        </Button>
      </Form>
    </Card>
  );
}
