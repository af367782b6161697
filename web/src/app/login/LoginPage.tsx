// Login: username and password, then — when the server answers with a challenge — a one-time code. The
// session is an HttpOnly cookie the server sets; the page never sees or stores a token.
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Button, Card, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LoginChallenge, LoginResult, Me } from '@onething/shared/identity';
import { hasRole, useLogin, useSession, useVerifyCode } from '../../features/identity/api';
import { ProblemAlert } from '../ProblemAlert';

/** Only paths inside the portal: `next` comes from the URL and must not send the user elsewhere. */
function safeNext(next: string | null): string | null {
  return next?.startsWith('/') && !next.startsWith('//') ? next : null;
}

function homeFor(account: Me): string {
  if (hasRole(account, ['admin'])) return '/admin';
  if (hasRole(account, ['reviewer', 'window_staff'])) return '/staff';
  return '/';
}

export default function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const session = useSession();
  const login = useLogin();
  const verify = useVerifyCode();
  const [challenge, setChallenge] = useState<LoginChallenge['challenge'] | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const done = (res: LoginResult) => {
    if ('challenge' in res) {
      setChallenge(res.challenge);
      return;
    }
    navigate(next ?? homeFor(res.account), { replace: true });
  };

  useEffect(() => {
    // The second step replaces the first: move focus to its heading so it is announced.
    if (challenge) heading.current?.focus();
  }, [challenge]);

  return (
    <div className="narrow">
      <Card>
        {!challenge ? (
          <>
            <Typography.Title level={1} className="page-title">
              {t('login.title')}
            </Typography.Title>
            {session.data && (
              <Typography.Paragraph>{t('login.already', { name: session.data.displayName })}</Typography.Paragraph>
            )}
            <Form
              layout="vertical"
              requiredMark={false}
              onFinish={(v: { username: string; password: string }) => login.mutate(v, { onSuccess: done })}
            >
              <Form.Item
                name="username"
                label={t('login.username')}
                rules={[{ required: true, message: t('login.usernameRequired') }]}
              >
                <Input autoComplete="username" autoFocus />
              </Form.Item>
              <Form.Item
                name="password"
                label={t('login.password')}
                rules={[{ required: true, message: t('login.passwordRequired') }]}
              >
                <Input.Password autoComplete="current-password" />
              </Form.Item>
              <ProblemAlert error={login.error} />
              <Button type="primary" htmlType="submit" block loading={login.isPending} className="gap-top">
                {t('login.submit')}
              </Button>
              <Typography.Paragraph className="gap-top">
                <Link to="/register">{t('proofing.register.noAccount')}</Link>
              </Typography.Paragraph>
            </Form>
          </>
        ) : (
          <>
            <Typography.Title level={1} className="page-title" ref={heading} tabIndex={-1}>
              {t('login.codeTitle')}
            </Typography.Title>
            <Typography.Paragraph>
              {challenge.destination ? t('login.codeSentTo', { to: challenge.destination }) : t('login.codeSent')}
            </Typography.Paragraph>
            <Form
              layout="vertical"
              requiredMark={false}
              onFinish={(v: { code: string }) =>
                verify.mutate({ challengeId: challenge.id, code: v.code.trim() }, { onSuccess: done })
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
                {t('login.verify')}
              </Button>
              <Button type="link" block onClick={() => setChallenge(null)}>
                {t('login.back')}
              </Button>
            </Form>
          </>
        )}
      </Card>
    </div>
  );
}
