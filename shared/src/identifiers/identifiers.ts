// Identifiers' contracts: checks of resident ID numbers (GB 11643), unified social credit codes (GB 32100) and
// administrative division codes (GB/T 2260), and the division table, as the API answers them.
import { z } from 'zod';

/** Why a value is not valid: a stable code for programs, a short message in both languages for people. */
export const Reason = z.object({ code: z.string(), zh: z.string(), en: z.string() });
export type Reason = z.infer<typeof Reason>;

export const DivisionLevel = z.enum(['province', 'prefecture', 'county']);
export type DivisionLevel = z.infer<typeof DivisionLevel>;

export const DivisionRef = z.object({ code: z.string(), name: z.string() });
export type DivisionRef = z.infer<typeof DivisionRef>;

export const CodeLabel = z.object({ code: z.string(), zh: z.string(), en: z.string() });
export type CodeLabel = z.infer<typeof CodeLabel>;

/** POST /api/v1/identifiers/validate: in the body, because an ID number in a URL ends up in access logs. */
export const ValidateBody = z
  .object({
    type: z.enum(['id-number', 'uscc', 'division']),
    value: z.string().min(1).max(64),
  })
  .strict();
export type ValidateBody = z.input<typeof ValidateBody>;

/** An invalid value of any type; a retired division code also gets its end year and successors. */
export const Invalid = z.object({
  valid: z.literal(false),
  reason: Reason,
  retired: z.object({ end: z.number(), successors: z.array(DivisionRef) }).optional(),
});
export type Invalid = z.infer<typeof Invalid>;

export const ValidIdNumber = z.object({
  valid: z.literal(true),
  normalized: z.string(),
  /** YYYY-MM-DD */
  birthDate: z.string(),
  sex: z.enum(['male', 'female']),
  addressCode: z.string(),
  addressName: z.string(),
  addressCurrent: z.boolean(),
});
export type ValidIdNumber = z.infer<typeof ValidIdNumber>;
export const IdNumberResult = z.union([ValidIdNumber, Invalid.omit({ retired: true })]);
export type IdNumberResult = z.infer<typeof IdNumberResult>;

export const ValidUscc = z.object({
  valid: z.literal(true),
  normalized: z.string(),
  registrationDepartment: CodeLabel,
  institutionType: CodeLabel.optional(),
  divisionCode: z.string(),
  divisionName: z.string().optional(),
  organisationCode: z.string(),
});
export type ValidUscc = z.infer<typeof ValidUscc>;
export const UsccResult = z.union([ValidUscc, Invalid.omit({ retired: true })]);
export type UsccResult = z.infer<typeof UsccResult>;

export const ValidDivision = z.object({
  valid: z.literal(true),
  code: z.string(),
  name: z.string(),
  level: DivisionLevel,
  start: z.number(),
  parent: DivisionRef.optional(),
});
export type ValidDivision = z.infer<typeof ValidDivision>;
export const DivisionValidation = z.union([ValidDivision, Invalid]);
export type DivisionValidation = z.infer<typeof DivisionValidation>;

/**
 * The answer of POST /api/v1/identifiers/validate, by the type asked for. The valid shapes share no required
 * field set, so each answer matches exactly one of them.
 */
export const Validation = z.union([ValidIdNumber, ValidUscc, ValidDivision, Invalid]);
export type Validation = z.infer<typeof Validation>;

export const DivisionListQuery = z.object({
  parent: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
});
export type DivisionListQuery = z.input<typeof DivisionListQuery>;

export const DivisionListItem = z.object({ code: z.string(), name: z.string(), level: DivisionLevel });
export type DivisionListItem = z.infer<typeof DivisionListItem>;

export const DivisionParams = z.object({ code: z.string().min(1).max(12) });
export type DivisionParams = z.input<typeof DivisionParams>;

/** A division code, current or retired (with its years and successors), unknown or malformed. */
export const DivisionLookup = z.object({
  code: z.string(),
  status: z.enum(['current', 'retired', 'unknown', 'invalid']),
  name: z.string().optional(),
  level: DivisionLevel.optional(),
  start: z.number().optional(),
  end: z.number().optional(),
  successors: z.array(DivisionRef),
  parent: DivisionRef.optional(),
  reason: Reason.optional(),
});
export type DivisionLookup = z.infer<typeof DivisionLookup>;
