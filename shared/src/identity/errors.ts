// Identity's error codes (login, accounts, proxies), with their HTTP status and their titles in both languages.
// Clients match a problem's code against these values; the codes never change once published.
import { defineFieldErrors, defineProblems } from '../problem/index.ts';

export const IdentityErrors = defineProblems({
  // ---- login ----
  locked: {
    code: 'auth.locked',
    status: 429,
    title: {
      zh: '登录失败次数过多，已暂时锁定，请 {minutes} 分钟后再试',
      en: 'Too many failed attempts; locked, try again in {minutes} minutes',
    },
  },
  otpIncorrect: {
    code: 'auth.otp_incorrect',
    status: 401,
    title: { zh: '验证码不正确，还可尝试 {remaining} 次', en: 'Wrong code; {remaining} attempts left' },
  },
  otpExpired: {
    code: 'auth.otp_expired',
    status: 401,
    title: {
      zh: '验证码已失效，请重新登录获取新的验证码',
      en: 'The code is no longer valid; log in again for a new one',
    },
  },
  otpUsed: {
    code: 'auth.otp_used',
    status: 401,
    title: { zh: '验证码已使用过，请重新登录', en: 'The code was already used; log in again' },
  },
  otpExhausted: {
    code: 'auth.otp_exhausted',
    status: 401,
    title: { zh: '验证码错误次数过多，请重新登录', en: 'Too many wrong codes; log in again' },
  },
  otpUnavailable: {
    code: 'auth.otp_unavailable',
    status: 409,
    title: {
      zh: '该账号需要短信验证码，但没有登记手机号码，请联系管理员',
      en: 'This account needs a one-time code but has no phone number; ask an administrator',
    },
  },
  accountFrozen: {
    code: 'auth.account_frozen',
    status: 403,
    title: {
      zh: '该账号已冻结：其登记的身份证号码已由本人持身份证在政务服务窗口找回。如有异议，请本人携带身份证到窗口办理',
      en: 'This account is frozen: the ID number it was registered with was reclaimed by its holder, with the ID card, at a service window. To dispute this, bring your ID card to a window',
    },
  },
  // ---- accounts ----
  invalid: {
    code: 'identity.invalid',
    status: 422,
    title: { zh: '填写的内容不符合要求', en: 'Some fields are not valid' },
  },
  importInvalid: {
    code: 'identity.import_invalid',
    status: 422,
    title: {
      zh: '导入文件有 {rows} 行不符合要求，未导入任何内容',
      en: '{rows} rows of the file are not valid; nothing was imported',
    },
  },
  usernameTaken: {
    code: 'identity.username_taken',
    status: 409,
    title: { zh: '用户名已被使用', en: 'The username is taken' },
  },
  alreadyRegistered: {
    code: 'identity.already_registered',
    status: 409,
    title: { zh: '该身份证号码已注册', en: 'An account with this ID number exists' },
  },
  // ---- identity proofing ----
  proofingNotNeeded: {
    code: 'identity.already_verified',
    status: 409,
    title: { zh: '该账号已完成实名核验', en: 'This account is verified already' },
  },
  proofingIncorrect: {
    code: 'identity.proofing_code_incorrect',
    status: 422,
    title: { zh: '验证码不正确，还可尝试 {remaining} 次', en: 'Wrong code; {remaining} attempts left' },
  },
  proofingExpired: {
    code: 'identity.proofing_code_expired',
    status: 422,
    title: {
      zh: '验证码已失效，请重新获取；如收不到验证码，请携带身份证到政务服务窗口核验',
      en: 'The code is no longer valid; ask for a new one, or bring your ID card to a service window if none arrives',
    },
  },
  proofingUnavailable: {
    code: 'identity.proofing_unavailable',
    status: 409,
    title: {
      zh: '该账号没有待核验的身份证号码',
      en: 'This account has no ID number to verify',
    },
  },
  numberHeld: {
    code: 'identity.number_held',
    status: 409,
    title: {
      zh: '该身份证号码已绑定另一个账号；核对本人身份证后，可确认找回（原账号将被冻结）',
      en: 'Another account holds this ID number; having checked the ID card, confirm a reclaim (that account is frozen)',
    },
  },
  realNameRequired: {
    code: 'identity.real_name_required',
    status: 403,
    title: {
      zh: '请先完成实名核验（手机验证或到窗口查验身份证）',
      en: 'Verify your identity first (by the phone on record, or with your ID card at a window)',
    },
  },
  notLegalRepresentative: {
    code: 'identity.not_legal_representative',
    status: 403,
    title: {
      zh: '企业登记信息（一企一档）记载的法定代表人不是您',
      en: 'The enterprise register does not name you as the legal representative',
    },
  },
  enterpriseExists: {
    code: 'identity.enterprise_exists',
    status: 409,
    title: { zh: '该企业已登记', en: 'This enterprise is registered already' },
  },
  personNotFound: {
    code: 'identity.person_not_found',
    status: 404,
    title: { zh: '未找到姓名和身份证号码相符的注册用户', en: 'No registered person with this name and ID number' },
  },
  personMismatch: {
    code: 'identity.person_mismatch',
    status: 422,
    title: { zh: '姓名与身份证号码登记的姓名不一致', en: 'The name does not match the holder of this ID number' },
  },
  accountNotFound: {
    code: 'identity.account_not_found',
    status: 404,
    title: { zh: '账号不存在', en: 'Account not found' },
  },
  enterpriseNotFound: {
    code: 'identity.enterprise_not_found',
    status: 404,
    title: { zh: '企业不存在', en: 'Enterprise not found' },
  },
  agentNotFound: {
    code: 'identity.agent_not_found',
    status: 404,
    title: { zh: '经办人不存在', en: 'Agent not found' },
  },
  alreadyAgent: {
    code: 'identity.already_agent',
    status: 409,
    title: { zh: '此人已是该企业的经办人', en: 'This person is an agent of the enterprise already' },
  },
  legalRepresentativeStays: {
    code: 'identity.legal_representative_stays',
    status: 409,
    title: { zh: '法定代表人不能被移除', en: 'The legal representative cannot be removed' },
  },
  outsideJurisdiction: {
    code: 'identity.outside_jurisdiction',
    status: 403,
    title: { zh: '超出您的管辖范围', en: 'Outside your jurisdiction' },
  },
  cannotAct: {
    code: 'identity.cannot_act',
    status: 403,
    title: { zh: '当前账号不能以这种方式代办', en: 'This account cannot act for others this way' },
  },
  // ---- proxies (帮办代办) ----
  proxyNotFound: { code: 'identity.proxy_not_found', status: 404, title: { zh: '授权不存在', en: 'Proxy not found' } },
  proxyInactive: {
    code: 'identity.proxy_inactive',
    status: 403,
    title: { zh: '授权已撤销或已过期', en: 'The proxy was revoked or has expired' },
  },
  outsideProxyScope: {
    code: 'identity.outside_proxy_scope',
    status: 403,
    title: { zh: '授权范围不包括此事项（{bundle}）', en: 'The proxy does not cover this (bundle {bundle})' },
  },
  // ---- window consent ----
  personOutsideJurisdiction: {
    code: 'identity.person_outside_jurisdiction',
    status: 404,
    title: {
      zh: '此人不在您的辖区内，不能在本窗口为其记录授权',
      en: 'This person is outside your jurisdiction; their consent cannot be recorded at this window',
    },
  },
  consentNoPhone: {
    code: 'identity.consent_no_phone',
    status: 409,
    title: {
      zh: '此人没有登记手机号码，无法发送验证码，请用身份证读卡器核验',
      en: 'This person has no phone number on record for a code; read their ID card instead',
    },
  },
  consentCodeIncorrect: {
    code: 'identity.consent_code_incorrect',
    status: 422,
    title: { zh: '验证码不正确，还可尝试 {remaining} 次', en: 'Wrong code; {remaining} attempts left' },
  },
  consentCodeExpired: {
    code: 'identity.consent_code_expired',
    status: 422,
    title: {
      zh: '验证码已失效、已使用或错误次数过多，请重新发送',
      en: 'The code expired, was used or was guessed too often; send a new one',
    },
  },
  devOtpNotFound: {
    code: 'identity.dev_otp_not_found',
    status: 404,
    title: { zh: '没有待使用的验证码', en: 'No pending one-time code' },
  },
});

/** The messages of field errors: what is wrong with one field of an account, an import row or a proxy. */
export const IdentityFieldErrors = defineFieldErrors({
  required: { code: 'identity.required', detail: { zh: '必填', en: 'required' } },
  nameInvalid: {
    code: 'identity.name_invalid',
    detail: { zh: '请填写身份证上的姓名', en: 'the name as on the ID card' },
  },
  personMismatch: {
    code: 'identity.person_mismatch',
    detail: { zh: '姓名与身份证号码不一致', en: 'does not match the ID number' },
  },
  jurisdictionInvalid: {
    code: 'identity.jurisdiction_invalid',
    detail: { zh: '管辖区域应为 6、9 或 12 位区划代码', en: 'a division code of 6, 9 or 12 digits' },
  },
  jurisdictionUnknown: {
    code: 'identity.jurisdiction_unknown',
    detail: { zh: '区划代码不是现行有效的代码', en: 'not a current division code' },
  },
  outsideJurisdiction: {
    code: 'identity.outside_jurisdiction',
    detail: { zh: '超出您的管辖范围', en: 'outside your jurisdiction' },
  },
  departmentOutsideJurisdiction: {
    code: 'identity.outside_jurisdiction',
    detail: { zh: '该部门超出您的管辖范围', en: 'the department is outside your jurisdiction' },
  },
  departmentUnknown: { code: 'identity.department_unknown', detail: { zh: '部门不存在', en: 'no such department' } },
  jurisdictionOutsideDepartment: {
    code: 'identity.jurisdiction_outside_department',
    detail: { zh: '管辖区域应在所属部门的区域之内', en: 'must lie within the department’s region' },
  },
  rolesEmpty: { code: 'identity.roles_empty', detail: { zh: '至少一个角色', en: 'at least one role' } },
  roleInvalid: { code: 'identity.role_invalid', detail: { zh: '不是工作人员角色', en: 'not a staff role' } },
  phoneInvalid: {
    code: 'identity.phone_invalid',
    detail: { zh: '请填写 11 位手机号码', en: 'an 11-digit mobile number' },
  },
  usernameInvalid: {
    code: 'identity.username_invalid',
    detail: {
      zh: '用户名为 3–40 位小写字母、数字、点、下划线或连字符，以字母开头',
      en: '3–40 lower-case letters, digits, ".", "_" or "-", starting with a letter',
    },
  },
  usernameRepeated: {
    code: 'identity.username_repeated',
    detail: { zh: '与第 {previous} 行的用户名重复', en: 'the same username as row {previous}' },
  },
  usernameTaken: { code: 'identity.username_taken', detail: { zh: '用户名已被使用', en: 'the username is taken' } },
  passwordRequired: {
    code: 'identity.password_required',
    detail: { zh: '新账号须填写初始密码', en: 'a new account needs an initial password' },
  },
  // ---- identity proofing and the registers ----
  registerNameMismatch: {
    code: 'identity.person_mismatch',
    detail: { zh: '与人口基础信息登记的姓名不一致', en: 'does not match the name in the population register' },
  },
  reclaimRequired: {
    code: 'identity.number_held',
    detail: {
      zh: '该号码已绑定另一个账号，确认找回请选择此项',
      en: 'another account holds the number: set this to reclaim it',
    },
  },
  accountNotPerson: {
    code: 'identity.account_not_found',
    detail: { zh: '没有这个个人用户', en: 'no such personal account' },
  },
  usccNotInRegister: {
    code: 'identity.uscc_not_in_register',
    detail: { zh: '企业登记信息（一企一档）中没有该代码', en: 'not in the enterprise register' },
  },
  notLegalRepresentative: {
    code: 'identity.not_legal_representative',
    detail: {
      zh: '一企一档记载的法定代表人不是您',
      en: 'the enterprise register names someone else as legal representative',
    },
  },
  enterpriseNameMismatch: {
    code: 'identity.enterprise_name_mismatch',
    detail: { zh: '与企业登记的名称“{name}”不一致', en: 'does not match the registered name “{name}”' },
  },
  regionInvalid: {
    code: 'identity.region_invalid',
    detail: { zh: '应为现行有效的 6 位区划代码', en: 'a current 6-digit division code' },
  },
  idNumberRepeated: {
    code: 'identity.id_number_repeated',
    detail: { zh: '与第 {previous} 行的号码重复', en: 'the same number as row {previous}' },
  },
  usccRepeated: {
    code: 'identity.uscc_repeated',
    detail: { zh: '与第 {previous} 行的代码重复', en: 'the same code as row {previous}' },
  },
  // ---- proxies (帮办代办) ----
  validUntilPast: {
    code: 'identity.valid_until_invalid',
    detail: { zh: '有效期须晚于现在', en: 'must be in the future' },
  },
  validUntilTooLong: {
    code: 'identity.valid_until_invalid',
    detail: { zh: '有效期最长 {days} 天', en: 'at most {days} days' },
  },
  validUntilTooLongHours: {
    code: 'identity.valid_until_invalid',
    detail: {
      zh: '窗口授权只在本次办理期间有效，最长 {hours} 小时',
      en: 'a window consent lasts for the visit: at most {hours} hours',
    },
  },
  consentCode: {
    code: 'identity.consent_code_incorrect',
    detail: { zh: '验证码不正确', en: 'wrong code' },
  },
  proxySelf: { code: 'identity.proxy_self', detail: { zh: '不能授权给自己', en: 'cannot authorise yourself' } },
  granteeSelf: {
    code: 'identity.proxy_self',
    detail: { zh: '被授权人不能是本人', en: 'the grantee must be someone else' },
  },
});
