// Registration of a natural person: the account (real-name level 1), then the code sent to the phone the
// population register holds for the ID number (level 2). The server answers alike whether or not a code could be
// sent, so the page says what to do if none arrives: a window checks the ID card instead.
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PersonAccount, ProofingChallenge } from '@onething/shared/identity';
import { showFieldProblems } from '../../lib/forms';
import {
  realNameLevelKey,
  registrationBody,
  useRegisterPerson,
  useVerifyProofing,
  type RegistrationForm,
} from '../../features/identity/proofing';
import { ProblemAlert } from '../ProblemAlert';

const FIELDS = ['username', 'password', 'realName', 'idNumber', 'phone'];

export default function RegisterPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<RegistrationForm>();
  const register = useRegisterPerson();
  const verify = useVerifyProofing();
  const [challenge, setChallenge] = useState<ProofingChallenge | null>(null);
  const [account, setAccount] = useState<PersonAccount | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    // Each step replaces the last: move focus to its heading so it is announced.
    if (challenge || account) heading.current?.focus();
  }, [challenge, account]);

  const submit = (v: RegistrationForm) =>
    register.mutate(registrationBody(v), {
      onSuccess: (r) => {
        setAccount(r);
        setChallenge(r.proofing);
      },
      onError: (err) => showFieldProblems(form, err, FIELDS),
    });

  return (
    <div className="narrow">
      <Card>
        {!challenge ? (
          <>
            <Typography.Title level={1} className="page-title">
              {t('proofing.register.title')}
            </Typography.Title>
            <Form<RegistrationForm> form={form} layout="vertical" requiredMark={false} onFinish={submit}>
              <Form.Item
                name="realName"
                label={t('proofing.register.realName')}
                rules={[{ required: true, whitespace: true, message: t('proofing.register.realNameRequired') }]}
              >
                <Input autoComplete="name" />
              </Form.Item>
              <Form.Item
                name="idNumber"
                label={t('proofing.register.idNumber')}
                rules={[
                  { required: true, pattern: /^\s*\d{17}[\dXx]\s*$/, message: t('proofing.register.idNumberInvalid') },
                ]}
              >
                <Input autoComplete="off" className="mono" />
              </Form.Item>
              <Form.Item
                name="phone"
                label={t('proofing.register.phone')}
                rules={[{ required: true, message: t('proofing.register.phoneRequired') }]}
              >
                <Input autoComplete="tel" inputMode="tel" />
              </Form.Item>
              <Form.Item
                name="username"
                label={t('login.username')}
                extra={t('proofing.register.usernameHelp')}
                rules={[{ required: true, message: t('login.usernameRequired') }]}
              >
                <Input autoComplete="username" />
              </Form.Item>
              <Form.Item
                name="password"
                label={t('login.password')}
                extra={t('proofing.register.passwordHelp')}
                rules={[{ required: true, message: t('login.passwordRequired') }]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <ProblemAlert error={register.error} />
              <Button type="primary" htmlType="submit" block loading={register.isPending} className="gap-top">
                {t('proofing.register.submit')}
              </Button>
              <Typography.Paragraph className="gap-top">
                <Link to="/login">{t('proofing.register.haveAccount')}</Link>
              </Typography.Paragraph>
            </Form>
          </>
        ) : account && account.realNameLevel >= 2 ? (
          <>
            <Typography.Title level={1} className="page-title" ref={heading} tabIndex={-1}>
              {t('proofing.register.doneTitle')}
            </Typography.Title>
            <Alert type="success" showIcon title={t(realNameLevelKey(account.realNameLevel))} />
            <Link to="/login" className="ant-btn ant-btn-primary gap-top" data-testid="to-login">
              {t('login.submit')}
            </Link>
          </>
        ) : (
          <>
            <Typography.Title level={1} className="page-title" ref={heading} tabIndex={-1}>
              {t('proofing.register.codeTitle')}
            </Typography.Title>
            <Typography.Paragraph>{t('proofing.register.codeSent')}</Typography.Paragraph>
            <Form
              layout="vertical"
              requiredMark={false}
              onFinish={(v: { code: string }) =>
                verify.mutate({ challengeId: challenge.challengeId, code: v.code.trim() }, { onSuccess: setAccount })
              }
            >
              <Form.Item
                name="code"
                label={t('login.code')}
                rules={[{ required: true, pattern: /^\s*[0-9]{6}\s*$/, message: t('login.codeInvalid') }]}
              >
                <Input autoComplete="one-time-code" inputMode="numeric" maxLength={8} />
              </Form.Item>
              <ProblemAlert error={verify.error} />
              <Button type="primary" htmlType="submit" block loading={verify.isPending} className="gap-top">
                {t('proofing.register.verify')}
              </Button>
            </Form>
            <Alert type="info" showIcon className="gap-top" title={t('proofing.register.noCode')} />
            <Typography.Paragraph className="gap-top">
              {t(realNameLevelKey(1))} <Link to="/login">{t('proofing.register.later')}</Link>
            </Typography.Paragraph>
          </>
        )}
      </Card>
    </div>
  );
}
