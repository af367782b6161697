// SSO (统一身份认证): an OpenID Connect provider through which department systems sign people in with their
// OneThing account. Vocabulary: a client is a registered department system, belonging to a jurisdiction whose
// administrators manage it; an interaction is one visit to the login (or consent) page; a grant is what a person
// allowed a client; the real-name level (实名等级) says how well the person behind an account is known, the acr how
// they signed in this time; a key is sealed when stored encrypted under SSO_KEY_ENCRYPTION_KEY.
export { ssoRoutes, OIDC_BASE, DISCOVERY_PATH, type SsoDeps } from './sso.routes.ts';
export {
  realNameLevel,
  ACR_PASSWORD,
  ACR_PASSWORD_OTP,
  SCOPES,
  SCOPE_CLAIMS,
  type RealNameLevel,
} from './sso.domain.ts';
export { checkStoredKeys, replaceClearKeys, type ClearKeysReplaced, type StoredKeyCheck } from './sso.keys.ts';
