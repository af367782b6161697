// Identity proofing (实名核验, docs/adr/0022): a person registers (real-name level 1), then enters the code the
// server sent to the phone the population register holds for the number (level 2); window staff bind a number
// from the ID card (level 3) and, when another account holds it, reclaim it after confirming. The server never
// says whether a number was in the register or taken: the page says what happens in either case.
import { useMutation } from '@tanstack/react-query';
import type {
  IdCardCheck,
  PersonAccount,
  ProofingVerifyBody,
  RealNameLevel,
  RegisteredPerson,
  RegisterPersonBody,
  WindowProofBody,
  WindowProofResult,
} from '@onething/shared/identity';
import { api, ApiError } from '../../lib/api';

export interface RegistrationForm {
  username: string;
  password: string;
  realName: string;
  idNumber: string;
  phone: string;
}

/** What the registration form sends: trimmed, the ID number's check character upper-case as on the card. */
export function registrationBody(v: RegistrationForm): RegisterPersonBody {
  return {
    username: v.username.trim(),
    password: v.password,
    realName: v.realName.trim(),
    idNumber: v.idNumber.trim().toUpperCase(),
    phone: v.phone.replace(/[\s-]/g, ''),
  };
}

/** The i18n key that explains a real-name level to its holder. */
export function realNameLevelKey(level: RealNameLevel): string {
  return `proofing.level.${level}`;
}

/** The window form, shaped as the request so that the server's field pointers (/person/name) find its fields. */
export interface WindowProofForm {
  username: string;
  person: { name: string; idNumber: string };
  idCard: { check: IdCardCheck; reference?: string };
  reclaim?: boolean;
}

/** What the window form sends; `reclaim` only once the server said another account holds the number. */
export function windowProofBody(v: WindowProofForm, numberHeld: boolean): WindowProofBody {
  const reference = v.idCard.reference?.trim();
  return {
    username: v.username.trim(),
    person: { name: v.person.name.trim(), idNumber: v.person.idNumber.trim().toUpperCase() },
    idCard: { check: v.idCard.check, ...(reference ? { reference } : {}) },
    ...(numberHeld && v.reclaim ? { reclaim: true } : {}),
  };
}

/** Whether the server refused because another account holds the number: the clerk may then confirm a reclaim. */
export function isNumberHeld(err: unknown): boolean {
  return err instanceof ApiError && err.code === 'identity.number_held';
}

export function useRegisterPerson() {
  return useMutation({
    mutationFn: (body: RegisterPersonBody) =>
      api<RegisteredPerson>('/api/v1/accounts/persons', { method: 'POST', body }),
  });
}

export function useVerifyProofing() {
  return useMutation({
    mutationFn: (body: ProofingVerifyBody) =>
      api<PersonAccount>('/api/v1/accounts/persons/proofing/verify', { method: 'POST', body }),
  });
}

export function useProveAtWindow() {
  return useMutation({
    mutationFn: (body: WindowProofBody) => api<WindowProofResult>('/api/v1/proofing/window', { method: 'POST', body }),
  });
}
