// Identity's contracts: logging in (one or two steps), the session's account, acting for someone, registering
// persons and enterprises, agents (经办人), proxies (帮办代办) and staff administration.
// Request bodies are what a caller sends (z.input); views are what the server answers (z.infer). Personal numbers
// in views are masked by the server; a full value never leaves it.
import { z } from 'zod';
import { bilingual, Code } from '../catalogue/index.ts';

/** Every role the platform knows; which permissions each holds is data (role_permissions). */
export const ROLES = [
  'applicant',
  'enterprise_agent',
  'window_staff',
  'township_staff',
  'reviewer',
  'department_head',
  'hotline_agent',
  'admin',
  'auditor',
] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** Every permission code; the server's PERMISSIONS table gives each its scope and must list exactly these. */
export const PERMISSION_CODES = [
  'applications.read',
  'applications.submit',
  'proxies.manage',
  'enterprises.manage',
  'proxies.record_consent',
  'cases.review',
  'cases.read',
  'accounts.read',
  'accounts.manage',
  'catalogue.manage',
  'calendar.manage',
  'stats.read',
  'identity.proof',
  'registers.import',
] as const;
export const PermissionCode = z.enum(PERMISSION_CODES);
export type PermissionCode = z.infer<typeof PermissionCode>;

export const AccountKind = z.enum(['person', 'enterprise', 'staff']);
export type AccountKind = z.infer<typeof AccountKind>;

/** A person's part in an enterprise: its legal representative (法定代表人) or an agent (经办人) it authorised. */
export const AgencyRole = z.enum(['legal_representative', 'agent']);
export type AgencyRole = z.infer<typeof AgencyRole>;

/** window_consent: window staff act for the person present; family: a family member acts for (often) an elder. */
export const ProxyKind = z.enum(['window_consent', 'family']);
export type ProxyKind = z.infer<typeof ProxyKind>;

/**
 * 实名等级 (real-name level): 1 registered (an account, and at most a claimed ID number), 2 the name matches the
 * population register (一人一档) and the person proved the phone on record, 3 seen in person with the ID card (and
 * every staff account). The `real_name_level` claim of ID tokens says the same.
 */
export const RealNameLevel = z.union([z.literal(1), z.literal(2), z.literal(3)]);
export type RealNameLevel = z.infer<typeof RealNameLevel>;

const Uuid = z.uuid();
const Password = z.string().min(1).max(200);
const Phone = z.string().trim().max(20);
const When = z.iso.datetime({ offset: true });

/**
 * A JSON value as it was stored (an audit record's data): its keys depend on the action recorded, so it is
 * described as JSON, not as one object. JSON is recursive, so the OpenAPI document carries it once, as a named
 * component (the id below), and refers to it.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export const JsonValue: z.ZodType<JsonValue> = z
  .lazy(() =>
    z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonValue), z.record(z.string(), JsonValue)]),
  )
  .meta({ id: 'JsonValue', description: 'Any JSON value' });

// ---- the session's account ----

/** Whom the session acts for, when not for the account itself. */
export const ActingFor = z.object({
  kind: z.enum(['enterprise', 'proxy']),
  id: z.string(),
  name: z.string(),
  proxyId: z.string().nullable(),
  proxyKind: ProxyKind.nullable(),
  /** The bundles a proxy is limited to; null for all. */
  bundles: z.array(z.string()).nullable(),
  /** Set when the proxy acted under was revoked or ran out: the session may only stop acting or log out. */
  ended: z.enum(['revoked', 'expired']).nullable(),
});
export type ActingFor = z.infer<typeof ActingFor>;

/** An enterprise a person may act for. */
export const EnterpriseRef = z.object({ id: z.string(), name: z.string(), creditCode: z.string(), role: AgencyRole });
export type EnterpriseRef = z.infer<typeof EnterpriseRef>;

/**
 * The signed-in account (GET /api/v1/auth/me): `roles` and `permissions` are those in effect (of whom the session
 * acts for), `accountRoles` the account's own; `subjectId` is whom the session acts for.
 */
export const Me = z.object({
  accountId: z.string(),
  kind: AccountKind,
  username: z.string(),
  displayName: z.string(),
  roles: z.array(Role),
  accountRoles: z.array(Role),
  permissions: z.array(PermissionCode),
  departmentCode: z.string().nullable(),
  regionCode: z.string().nullable(),
  jurisdiction: z.string().nullable(),
  /** Masked: the bound number, or (at level 1) the number the account claims. */
  idNumber: z.string().nullable(),
  realNameLevel: RealNameLevel,
  phone: z.string().nullable(),
  loginOtp: z.boolean(),
  subjectId: z.string(),
  actingFor: ActingFor.nullable(),
  enterprises: z.array(EnterpriseRef),
});
export type Me = z.infer<typeof Me>;

// ---- login, sessions ----

export const LoginBody = z.object({ username: z.string().min(1).max(100), password: Password }).strict();
export type LoginBody = z.input<typeof LoginBody>;

export const LoginVerifyBody = z.object({ challengeId: Uuid, code: z.string().regex(/^\d{6}$/, '6 digits') }).strict();
export type LoginVerifyBody = z.input<typeof LoginVerifyBody>;

/** A session: the bearer token (the web uses the HttpOnly cookie set with it) and the account. */
export const Session = z.object({ token: z.string(), expiresAt: z.string(), account: Me });
export type Session = z.infer<typeof Session>;

/** The one-time code the account must give before it has a session; `destination` is the masked phone number. */
export const LoginChallenge = z.object({
  challenge: z.object({ id: z.string(), method: z.literal('sms'), destination: z.string(), expiresAt: z.string() }),
});
export type LoginChallenge = z.infer<typeof LoginChallenge>;

export const LoginResult = z.union([Session, LoginChallenge]);
export type LoginResult = z.infer<typeof LoginResult>;

export const LogoutBody = z.object({ everywhere: z.boolean().optional() }).strict().nullish();
export type LogoutBody = z.input<typeof LogoutBody>;

export const ActAsBody = z
  .object({ enterpriseId: Uuid.nullable().optional(), proxyId: Uuid.optional() })
  .strict()
  .refine((b) => !(b.enterpriseId && b.proxyId), 'give enterpriseId or proxyId, not both');
export type ActAsBody = z.input<typeof ActAsBody>;

export const LoginOtpBody = z.object({ enabled: z.boolean() }).strict();
export type LoginOtpBody = z.input<typeof LoginOtpBody>;

export const DevOtpQuery = z.object({ username: z.string().min(1).max(100) });
export type DevOtpQuery = z.input<typeof DevOtpQuery>;

/** The development sink's answer: the pending one-time code of a username. */
export const DevOtp = z.object({ code: z.string(), challengeId: z.string(), expiresAt: z.string() });
export type DevOtp = z.infer<typeof DevOtp>;

// ---- accounts ----

export const RegisterPersonBody = z
  .object({
    username: z.string().trim().min(1).max(40),
    password: Password,
    realName: z.string().trim().min(1).max(40),
    idNumber: z.string().trim().min(1).max(32),
    phone: Phone,
  })
  .strict();
export type RegisterPersonBody = z.input<typeof RegisterPersonBody>;

/** A person's account; `idNumber` (masked) is the bound number, or at level 1 the one it claims. */
export const PersonAccount = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  kind: AccountKind,
  idNumber: z.string().nullable(),
  realNameLevel: RealNameLevel,
  phone: z.string().nullable(),
  createdAt: z.string(),
});
export type PersonAccount = z.infer<typeof PersonAccount>;

/**
 * A code on its way to the phone the population register holds for the claimed number, if the name matches it.
 * Deliberately silent about whether it does, or whether the number has an account already: the answer is the
 * same either way, and only the phone on record learns more.
 */
export const ProofingChallenge = z.object({
  challengeId: z.string(),
  method: z.literal('sms_on_record'),
  expiresAt: z.string(),
});
export type ProofingChallenge = z.infer<typeof ProofingChallenge>;

/** The answer to a registration: the account (at level 1) and the code that would raise it to level 2. */
export const RegisteredPerson = PersonAccount.extend({ proofing: ProofingChallenge });
export type RegisteredPerson = z.infer<typeof RegisteredPerson>;

export const ProofingVerifyBody = z
  .object({ challengeId: Uuid, code: z.string().regex(/^\d{6}$/, '6 digits') })
  .strict();
export type ProofingVerifyBody = z.input<typeof ProofingVerifyBody>;

/** How window staff checked the ID card: read by the card reader, or looked at and compared with the face. */
export const ID_CARD_CHECKS = ['id_card_reader', 'visual'] as const;
export const IdCardCheck = z.enum(ID_CARD_CHECKS);
export type IdCardCheck = z.infer<typeof IdCardCheck>;

/**
 * Window staff saw the ID card of the person present and bind its number to the account the person names
 * (level 3). When another account holds the number, `reclaim: true` freezes that account and moves the number.
 */
export const WindowProofBody = z
  .object({
    username: z.string().trim().min(1).max(100),
    person: z.object({ idNumber: z.string().trim().min(1).max(32), name: z.string().trim().min(1).max(40) }).strict(),
    idCard: z.object({ check: IdCardCheck, reference: z.string().trim().min(1).max(100).optional() }).strict(),
    reclaim: z.boolean().optional(),
  })
  .strict();
export type WindowProofBody = z.input<typeof WindowProofBody>;

export const WindowProofResult = z.object({
  account: PersonAccount,
  /** The account that held the number and was frozen, when the number was reclaimed from it. */
  reclaimedFrom: z.object({ id: z.string(), username: z.string() }).nullable(),
});
export type WindowProofResult = z.infer<typeof WindowProofResult>;

// ---- enterprises and agents (经办人) ----

export const EnterpriseParams = z.object({ id: Uuid });
export type EnterpriseParams = z.input<typeof EnterpriseParams>;

export const AgentParams = z.object({ id: Uuid, personId: Uuid });
export type AgentParams = z.input<typeof AgentParams>;

/** The enterprise register (一企一档) must name the caller as its legal representative; `name`, if given, its name. */
export const RegisterEnterpriseBody = z
  .object({ name: z.string().trim().min(2).max(100).optional(), uscc: z.string().trim().min(1).max(32) })
  .strict();
export type RegisterEnterpriseBody = z.input<typeof RegisterEnterpriseBody>;

/** The enterprise just registered, with its registrant as legal representative. */
export const RegisteredEnterprise = z.object({
  id: z.string(),
  name: z.string(),
  creditCode: z.string(),
  role: z.literal('legal_representative'),
});
export type RegisteredEnterprise = z.infer<typeof RegisteredEnterprise>;

/** A registered person, named by ID number and name (as on the ID card). */
export const PersonRef = z
  .object({ idNumber: z.string().trim().min(1).max(32), name: z.string().trim().min(1).max(40) })
  .strict();
export type PersonRef = z.input<typeof PersonRef>;

export const AddAgentBody = z.object({ person: PersonRef }).strict();
export type AddAgentBody = z.input<typeof AddAgentBody>;

export const Agent = z.object({
  personId: z.string(),
  name: z.string(),
  idNumber: z.string().nullable(),
  role: AgencyRole,
  since: z.string(),
});
export type Agent = z.infer<typeof Agent>;

// ---- proxies (帮办代办) ----

/** What a proxy covers: every bundle, or some. */
export const ProxyScope = z.union([
  z.object({ all: z.literal(true) }).strict(),
  z.object({ bundles: z.array(Code).min(1).max(50) }).strict(),
]);
export type ProxyScope = z.infer<typeof ProxyScope>;

export const CONSENT_METHODS = ['signature', 'id_card_reader', 'face_match'] as const;
export const ConsentMethod = z.enum(CONSENT_METHODS);
export type ConsentMethod = z.infer<typeof ConsentMethod>;

export const ConsentBody = z
  .object({ method: ConsentMethod, reference: z.string().trim().min(1).max(100).optional() })
  .strict();
export type ConsentBody = z.input<typeof ConsentBody>;

/**
 * What confirms a window consent comes from the person present, not from the clerk alone: the one-time code the
 * person received on the phone on record (`sms_code`, after POST /api/v1/proxies/window-consent/code), or the
 * chip of their ID card read at this window (`id_card_reader` with `cardRead: true`, which the clerk attests and
 * the audit row keeps).
 */
export const WindowConsentConfirmation = z.discriminatedUnion('method', [
  z
    .object({
      method: z.literal('sms_code'),
      challengeId: Uuid,
      code: z.string().regex(/^\d{6}$/, bilingual('6 位数字', '6 digits')),
    })
    .strict(),
  z
    .object({
      method: z.literal('id_card_reader'),
      cardRead: z.literal(true),
      reference: z.string().trim().min(1).max(100).optional(),
    })
    .strict(),
]);
export type WindowConsentConfirmation = z.input<typeof WindowConsentConfirmation>;
export const WINDOW_CONSENT_METHODS = ['id_card_reader', 'sms_code'] as const;
export type WindowConsentMethod = (typeof WINDOW_CONSENT_METHODS)[number];

/** POST /api/v1/proxies/window-consent/code: a code to the phone on record of the person at the window. */
export const WindowConsentCodeBody = z.object({ person: PersonRef }).strict();
export type WindowConsentCodeBody = z.input<typeof WindowConsentCodeBody>;

/** Where the code went (masked) and until when it can be used. */
export const WindowConsentCode = z.object({
  challengeId: z.string(),
  destination: z.string(),
  expiresAt: z.string(),
});
export type WindowConsentCode = z.infer<typeof WindowConsentCode>;

/**
 * How consent was given, as recorded: `online` when the grantor granted it themself; at a window, the method and
 * its reference (masked: it may be an ID or phone number), who recorded it and for which department. Proxies made
 * by the seed may carry the method alone.
 */
export const ProxyConsent = z.object({
  method: z.enum(['online', ...CONSENT_METHODS, 'sms_code']),
  reference: z.string().nullable().optional(),
  /** id_card_reader at a window: the clerk attested that the card's chip was read there. */
  cardRead: z.boolean().optional(),
  recordedBy: z.string().optional(),
  recordedAt: z.string().optional(),
  departmentCode: z.string().nullable().optional(),
});
export type ProxyConsent = z.infer<typeof ProxyConsent>;

/** Something done under a proxy, from the audit trail; `data` is the audit record's own (masked). */
export const ProxyAction = z.object({
  at: z.string(),
  action: z.string(),
  actor: z.object({ id: z.string().nullable(), name: z.string().nullable() }),
  subject: z.object({ type: z.string(), id: z.string() }),
  data: z.record(z.string(), JsonValue),
});
export type ProxyAction = z.infer<typeof ProxyAction>;

export const ProxyStatus = z.enum(['active', 'revoked', 'expired', 'pending']);
export type ProxyStatus = z.infer<typeof ProxyStatus>;

/** A proxy; `actions` only on those the caller granted. */
export const ProxyView = z.object({
  id: z.string(),
  kind: ProxyKind,
  grantor: z.object({ id: z.string(), name: z.string(), idNumber: z.string().nullable() }),
  grantee: z.object({ id: z.string(), name: z.string(), kind: AccountKind }),
  scope: ProxyScope,
  validFrom: z.string(),
  validUntil: z.string(),
  consent: ProxyConsent,
  status: ProxyStatus,
  revokedAt: z.string().nullable(),
  revokeReason: z.string().nullable(),
  actions: z.array(ProxyAction).optional(),
});
export type ProxyView = z.infer<typeof ProxyView>;

export const ProxyList = z.object({ granted: z.array(ProxyView), received: z.array(ProxyView) });
export type ProxyList = z.infer<typeof ProxyList>;

export const GrantProxyBody = z.object({ grantee: PersonRef, scope: ProxyScope, validUntil: When }).strict();
export type GrantProxyBody = z.input<typeof GrantProxyBody>;

export const ProxyParams = z.object({ id: Uuid });
export type ProxyParams = z.input<typeof ProxyParams>;

/** DELETE /api/v1/me/proxies/:id, optionally with a reason: in the body, which no access log keeps. */
export const RevokeProxyBody = z
  .object({ reason: z.string().trim().min(1).max(500).optional() })
  .strict()
  .nullish();
export type RevokeProxyBody = z.input<typeof RevokeProxyBody>;

export const WindowConsentBody = z
  .object({ person: PersonRef, scope: ProxyScope, validUntil: When.optional(), consent: WindowConsentConfirmation })
  .strict();
export type WindowConsentBody = z.input<typeof WindowConsentBody>;

export const FamilyProxyBody = z
  .object({ grantor: PersonRef, grantee: PersonRef, scope: ProxyScope, validUntil: When, consent: ConsentBody })
  .strict();
export type FamilyProxyBody = z.input<typeof FamilyProxyBody>;

// ---- the registers (一人一档, 一企一档) ----

export const REGISTERS = ['population', 'enterprise'] as const;
export const RegisterKind = z.enum(REGISTERS);
export type RegisterKind = z.infer<typeof RegisterKind>;

/** Where an extract came from and the day it describes; the body is the CSV file itself. */
export const RegisterImportQuery = z
  .object({
    source: z.string().trim().min(1).max(200),
    asOf: z.iso.date(),
  })
  .strict();
export type RegisterImportQuery = z.input<typeof RegisterImportQuery>;

/** An import as recorded: `skipped` rows were older than what the register holds for them. */
export const RegisterImport = z.object({
  id: z.string(),
  register: RegisterKind,
  source: z.string(),
  asOf: z.string(),
  sha256: z.string(),
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  importedBy: z.string().nullable(),
  importedAt: z.string(),
});
export type RegisterImport = z.infer<typeof RegisterImport>;

// ---- staff administration ----

export const StaffBody = z
  .object({
    username: z.string().trim().min(1).max(40),
    displayName: z.string().trim().min(1).max(60),
    password: Password,
    phone: Phone,
    departmentCode: Code.nullable(),
    jurisdiction: z.string().trim().min(1).max(12),
    // Any text: a role the platform does not know is the service's field error, in both languages.
    roles: z.array(z.string().max(40)).max(10),
  })
  .strict();
export type StaffBody = z.input<typeof StaffBody>;

export const StaffPatchBody = StaffBody.omit({ username: true, password: true })
  .partial()
  .extend({ disabled: z.boolean().optional() })
  .strict();
export type StaffPatchBody = z.input<typeof StaffPatchBody>;

export const StaffListQuery = z.object({
  role: z.string().max(40).optional(),
  department: Code.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100000).default(0),
});
export type StaffListQuery = z.input<typeof StaffListQuery>;

export const AccountParams = z.object({ id: Uuid });
export type AccountParams = z.input<typeof AccountParams>;

/** A staff account; the phone number is masked. */
export const StaffAccount = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  kind: AccountKind,
  roles: z.array(Role),
  departmentCode: z.string().nullable(),
  jurisdiction: z.string().nullable(),
  phone: z.string().nullable(),
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type StaffAccount = z.infer<typeof StaffAccount>;

/**
 * A role with its permissions and each one's scope, as the database's tables hold them (codes are text there: a
 * migration may add a role before the code names it).
 */
export const RolePermissions = z.object({
  role: z.string(),
  audience: z.enum(['citizen', 'staff']),
  permissions: z.array(z.object({ code: z.string(), scope: z.string() })),
});
export type RolePermissions = z.infer<typeof RolePermissions>;
