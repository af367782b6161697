// The provider's own pages, server-rendered so that signing in works without the web app and without
// JavaScript: login, consent, errors, sign-out. Chinese or English (Accept-Language or ?lang=), every input
// with a visible label, errors announced to screen readers (role="alert") and tied to the fields they concern.
import type { Lang } from '@onething/shared/problem';
import type { Scope } from './sso.domain.ts';

export function escapeHtml(value: unknown): string {
  return String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

type Text = Record<Lang, string>;
const t = (zh: string, en: string): Text => ({ zh, en });

const TEXT = {
  brand: t('一件事 · 统一身份认证', 'OneThing · Single sign-on'),
  signIn: t('登录', 'Sign in'),
  signInTo: t('登录以继续使用「{client}」', 'Sign in to continue to “{client}”'),
  username: t('用户名', 'Username'),
  password: t('密码', 'Password'),
  cancel: t('取消并返回', 'Cancel and go back'),
  missingCredentials: t('请输入用户名和密码。', 'Enter your username and password.'),
  otpTitle: t('短信验证码', 'One-time code'),
  otpSent: t(
    '验证码已发送至 {destination}，5 分钟内有效。',
    'A code was sent to {destination}; it is valid for 5 minutes.',
  ),
  otpLabel: t('6 位验证码', '6-digit code'),
  otpMissing: t('请输入短信中的 6 位验证码。', 'Enter the 6-digit code from the text message.'),
  verify: t('验证并登录', 'Verify and sign in'),
  consentTitle: t('授权确认', 'Allow access'),
  consentAsk: t('「{client}」请求获取您的以下信息：', '“{client}” asks for the following information about you:'),
  allow: t('同意', 'Allow'),
  deny: t('拒绝', 'Deny'),
  otherLang: t('English', '中文'),
  expiredTitle: t('登录已失效', 'This sign-in has expired'),
  expiredBody: t('请回到原系统重新发起登录。', 'Go back to the system you came from and start again.'),
  forbiddenBody: t(
    '请求来源不正确，请回到原系统重新发起登录。',
    'The request did not come from this page; go back and start again.',
  ),
  errorTitle: t('无法完成登录', 'Sign-in could not be completed'),
  errorCode: t('错误代码', 'Error code'),
  logoutTitle: t('退出登录', 'Sign out'),
  logoutAsk: t('是否退出统一身份认证？', 'Do you want to sign out of OneThing single sign-on?'),
  logoutYes: t('退出', 'Sign out'),
  logoutNo: t('保持登录', 'Stay signed in'),
  loggedOut: t('您已退出登录。', 'You have signed out.'),
} satisfies Record<string, Text>;

const SCOPE_TEXT: Record<Scope, Text> = {
  openid: t('您的账号标识和实名等级', 'Your account identifier and real-name level'),
  profile: t('您的姓名（名称）和用户名', 'Your name and username'),
  onething: t('您的账号类型、角色、所在部门和管辖区域', 'Your account type, roles, department and jurisdiction'),
};

function say(key: keyof typeof TEXT, lang: Lang, params: Record<string, string> = {}): string {
  return escapeHtml(TEXT[key][lang]).replace(/\{(\w+)\}/g, (whole, k: string) =>
    k in params ? escapeHtml(params[k]) : whole,
  );
}

const STYLE = `body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;background:#f4f6f8;color:#1b1f23;margin:0}
main{max-width:26rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{font-size:1.4rem;margin:0 0 1rem}p.brand{color:#5a6570;margin:0 0 .5rem;font-size:.9rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}input{width:100%;box-sizing:border-box;padding:.6rem;font-size:1rem;border:1px solid #8a949e;border-radius:4px}
input:focus,button:focus,a:focus{outline:3px solid #1f6feb;outline-offset:2px}
button{margin-top:1.25rem;padding:.6rem 1.2rem;font-size:1rem;border-radius:4px;border:1px solid #0b5cad;background:#0b5cad;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0b5cad}
.alert{background:#fdecea;border:1px solid #d93025;color:#8a1c14;padding:.6rem;border-radius:4px}
nav{margin-top:1.5rem;font-size:.9rem}`;

/** A complete page; `switchHref` is this page in the other language. */
export function page(lang: Lang, title: string, body: string, switchHref?: string): string {
  const other = lang === 'zh' ? 'en' : 'zh';
  return `<!DOCTYPE html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${title} · ${say('brand', lang)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="brand">${say('brand', lang)}</p>
${body}
${switchHref ? `<nav><a href="${escapeHtml(switchHref)}" lang="${other === 'zh' ? 'zh-CN' : 'en'}" hreflang="${other}">${say('otherLang', lang)}</a></nav>` : ''}
</main>
</body>
</html>`;
}

/** The first step: username and password. `error` is a message already in the page's language. */
export function loginPage(o: {
  lang: Lang;
  uid: string;
  base: string;
  clientName: string;
  username?: string;
  error?: string;
}): string {
  const action = `${o.base}/interaction/${encodeURIComponent(o.uid)}`;
  const described = o.error ? ' aria-describedby="login-error" aria-invalid="true"' : '';
  const body = `<h1>${say('signIn', o.lang)}</h1>
<p>${say('signInTo', o.lang, { client: o.clientName })}</p>
${o.error ? `<p class="alert" role="alert" id="login-error">${escapeHtml(o.error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}/login?lang=${o.lang}" novalidate>
<label for="username">${say('username', o.lang)}</label>
<input id="username" name="username" autocomplete="username" required autocapitalize="none" spellcheck="false" value="${escapeHtml(o.username ?? '')}"${described}${o.username ? '' : ' autofocus'}>
<label for="password">${say('password', o.lang)}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${described}${o.username ? ' autofocus' : ''}>
<button type="submit">${say('signIn', o.lang)}</button>
</form>
${cancelForm(o.lang, action)}`;
  return page(o.lang, say('signIn', o.lang), body, `${action}?lang=${o.lang === 'zh' ? 'en' : 'zh'}`);
}

/** The second step, where identity's policy asks for it (staff always): the one-time code sent by SMS. */
export function otpPage(o: {
  lang: Lang;
  uid: string;
  base: string;
  clientName: string;
  destination: string;
  error?: string;
}): string {
  const action = `${o.base}/interaction/${encodeURIComponent(o.uid)}`;
  const described = o.error ? 'otp-sent otp-error' : 'otp-sent';
  const body = `<h1>${say('otpTitle', o.lang)}</h1>
<p>${say('signInTo', o.lang, { client: o.clientName })}</p>
<p id="otp-sent">${say('otpSent', o.lang, { destination: o.destination })}</p>
${o.error ? `<p class="alert" role="alert" id="otp-error">${escapeHtml(o.error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}/otp?lang=${o.lang}" novalidate>
<label for="code">${say('otpLabel', o.lang)}</label>
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required autofocus aria-describedby="${described}"${o.error ? ' aria-invalid="true"' : ''}>
<button type="submit">${say('verify', o.lang)}</button>
</form>
${cancelForm(o.lang, action)}`;
  return page(o.lang, say('otpTitle', o.lang), body, `${action}?lang=${o.lang === 'zh' ? 'en' : 'zh'}`);
}

function cancelForm(lang: Lang, action: string): string {
  return `<form method="post" action="${escapeHtml(action)}/abort?lang=${lang}">
<button type="submit" class="secondary">${say('cancel', lang)}</button>
</form>`;
}

/** Messages of the page itself, for the interaction handlers. */
export function pageText(key: 'missingCredentials' | 'otpMissing', lang: Lang): string {
  return TEXT[key][lang];
}

export function consentPage(o: {
  lang: Lang;
  uid: string;
  base: string;
  clientName: string;
  scopes: string[];
}): string {
  const action = `${o.base}/interaction/${encodeURIComponent(o.uid)}`;
  const items = o.scopes
    .filter((s): s is Scope => s in SCOPE_TEXT)
    .map((s) => `<li>${escapeHtml(SCOPE_TEXT[s][o.lang])}</li>`);
  const body = `<h1>${say('consentTitle', o.lang)}</h1>
<p id="consent-ask">${say('consentAsk', o.lang, { client: o.clientName })}</p>
<ul aria-labelledby="consent-ask">${items.join('')}</ul>
<form method="post" action="${escapeHtml(action)}/confirm?lang=${o.lang}"><button type="submit">${say('allow', o.lang)}</button></form>
<form method="post" action="${escapeHtml(action)}/abort?lang=${o.lang}"><button type="submit" class="secondary">${say('deny', o.lang)}</button></form>`;
  return page(o.lang, say('consentTitle', o.lang), body, `${action}?lang=${o.lang === 'zh' ? 'en' : 'zh'}`);
}

export function messagePage(lang: Lang, kind: 'expired' | 'forbidden'): string {
  const title = say('expiredTitle', lang);
  return page(
    lang,
    title,
    `<h1>${title}</h1><p role="alert">${say(kind === 'expired' ? 'expiredBody' : 'forbiddenBody', lang)}</p>`,
  );
}

/** An OAuth error the provider cannot send back to the client (e.g. an unregistered redirect_uri). */
export function errorPage(lang: Lang, error: string, description: string | undefined): string {
  const title = say('errorTitle', lang);
  return page(
    lang,
    title,
    `<h1>${title}</h1><p role="alert">${say('expiredBody', lang)}</p>
<p>${say('errorCode', lang)}: <code>${escapeHtml(error)}</code>${description ? ` — ${escapeHtml(description)}` : ''}</p>`,
  );
}

/** oidc-provider's sign-out confirmation; `form` is its own hidden form (id "op.logoutForm") with the xsrf token. */
export function logoutPage(lang: Lang, form: string): string {
  const title = say('logoutTitle', lang);
  return page(
    lang,
    title,
    `<h1>${title}</h1><p>${say('logoutAsk', lang)}</p>${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">${say('logoutYes', lang)}</button>
<button type="submit" form="op.logoutForm" class="secondary">${say('logoutNo', lang)}</button>`,
  );
}

export function loggedOutPage(lang: Lang): string {
  const title = say('logoutTitle', lang);
  return page(lang, title, `<h1>${title}</h1><p role="status">${say('loggedOut', lang)}</p>`);
}
