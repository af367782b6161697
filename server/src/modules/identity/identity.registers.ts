// The registers identity proofing checks against: the population register (一人一档: ID number, name, phone on
// record, household region, from 公安) and the enterprise register (一企一档: credit code, name, legal
// representative, from 市场监管). Imported as CSV extracts, all rows or none, each import recorded with its source,
// the day it describes and the file's SHA-256; a row replaces the register's entry only when its extract is at
// least as recent. ID and phone numbers are sealed like every other (identity.repository.ts).
import crypto from 'node:crypto';
import type { RegisterImport, RegisterKind } from '@onething/shared/identity';
import { IdentityErrors, IdentityFieldErrors } from '@onething/shared/identity';
import { fieldError, type FieldError } from '@onething/shared/problem';
import type { Executor } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { recordAudit } from '../../platform/audit.ts';
import { readCsv, type CsvRow } from '../../platform/csv.ts';
import type { Column } from '../../platform/xlsx.ts';
import { validateDivision, validateUscc } from '../identifiers/index.ts';
import { PHONE, isRealName } from './identity.domain.ts';
import { checkIdNumber } from './identity.accounts.ts';
import type { IdentityDeps } from './identity.context.ts';
import * as repo from './identity.repository.ts';

export type PopulationKey = 'idNumber' | 'name' | 'phone' | 'region';
export const POPULATION_COLUMNS: ReadonlyArray<Column<PopulationKey>> = [
  { key: 'idNumber', header: '公民身份号码', alias: 'id_number', required: true },
  { key: 'name', header: '姓名', alias: 'name', required: true },
  { key: 'phone', header: '手机号码', alias: 'phone' },
  { key: 'region', header: '户籍地区划代码', alias: 'region', required: true },
];

export type EnterpriseKey = 'uscc' | 'name' | 'legalRepresentativeName' | 'legalRepresentativeIdNumber';
export const ENTERPRISE_COLUMNS: ReadonlyArray<Column<EnterpriseKey>> = [
  { key: 'uscc', header: '统一社会信用代码', alias: 'uscc', required: true },
  { key: 'name', header: '企业名称', alias: 'name', required: true },
  { key: 'legalRepresentativeName', header: '法定代表人', alias: 'legal_representative', required: true },
  {
    key: 'legalRepresentativeIdNumber',
    header: '法定代表人身份证号码',
    alias: 'legal_representative_id_number',
    required: true,
  },
];

/** An extract to import: where it came from, the day it describes, the file's digest and its rows. */
export interface RegisterExtract<K extends string> {
  source: string;
  asOf: string;
  sha256: string;
  rows: Array<CsvRow<K>>;
}

/** Who imports: an administrator through the API, or nobody (the CLI on the server, the seed). */
export interface Importer {
  accountId: string | null;
  requestId: string;
}

function sha256Of(body: Buffer): string {
  return crypto.createHash('sha256').update(body).digest('hex');
}

function refuse(errors: FieldError[]): never {
  throw new AppError(
    IdentityErrors.importInvalid,
    { rows: new Set(errors.map((e) => e.pointer.split('/')[1])).size },
    errors,
  );
}

function importView(r: repo.RegisterImportRow): RegisterImport {
  return {
    id: r.id,
    register: r.register,
    source: r.source,
    asOf: r.asOf,
    sha256: r.sha256,
    rows: r.rows,
    created: r.created,
    updated: r.updated,
    skipped: r.skipped,
    importedBy: r.importedBy,
    importedAt: r.importedAt.toISOString(),
  };
}

async function writeImport(
  deps: IdentityDeps,
  register: 'population' | 'enterprise',
  by: Importer,
  extract: RegisterExtract<string>,
  write: (tx: Executor, importId: string) => Promise<repo.UpsertCount>,
): Promise<RegisterImport> {
  const id = crypto.randomUUID();
  return deps.db.transaction(async (tx) => {
    // The import row first: the register's rows refer to it; their counts are known after the upsert.
    await repo.insertRegisterImport(tx, {
      id,
      register,
      source: extract.source,
      asOf: extract.asOf,
      sha256: extract.sha256,
      rows: extract.rows.length,
      created: 0,
      updated: 0,
      skipped: 0,
      importedBy: by.accountId,
      importedAt: deps.now(),
    });
    const count = await write(tx, id);
    await repo.setRegisterImportCounts(tx, id, count);
    await recordAudit(tx, {
      actorId: by.accountId,
      action: 'identity.register_imported',
      subjectType: 'register_import',
      subjectId: id,
      data: {
        register,
        source: extract.source,
        asOf: extract.asOf,
        sha256: extract.sha256,
        rows: extract.rows.length,
        ...count,
      },
      requestId: by.requestId,
    });
    return importView((await repo.findRegisterImportById(tx, id))!);
  });
}

/** Imports an extract of the population register: every row checked first, then all written or none. */
export async function importPopulationRegister(
  deps: IdentityDeps,
  by: Importer,
  extract: RegisterExtract<PopulationKey>,
): Promise<RegisterImport> {
  const { pii } = deps;
  const errors: FieldError[] = [];
  const first = new Map<string, number>();
  const records: Array<Omit<repo.PersonRecord, 'asOf'>> = [];
  for (const { row, values: v } of extract.rows) {
    const e: FieldError[] = [];
    const idNumber = checkIdNumber(v.idNumber, `/${row}/idNumber`, e);
    if (idNumber) {
      const previous = first.get(idNumber);
      if (previous !== undefined)
        e.push(fieldError(`/${row}/idNumber`, IdentityFieldErrors.idNumberRepeated, { previous }));
      else first.set(idNumber, row);
    }
    if (!isRealName(v.name)) e.push(fieldError(`/${row}/name`, IdentityFieldErrors.nameInvalid));
    if (v.phone && !PHONE.test(v.phone)) e.push(fieldError(`/${row}/phone`, IdentityFieldErrors.phoneInvalid));
    if (!/^\d{6}$/.test(v.region) || !validateDivision(v.region).valid)
      e.push(fieldError(`/${row}/region`, IdentityFieldErrors.regionInvalid));
    errors.push(...e);
    if (!e.length && idNumber) records.push({ idNumber, name: v.name, phone: v.phone || null, regionCode: v.region });
  }
  if (errors.length) refuse(errors);
  return writeImport(deps, 'population', by, extract, (tx, id) =>
    repo.upsertPersonRecords(tx, pii, records, extract.asOf, id),
  );
}

/** Imports an extract of the enterprise register, as the population register's. */
export async function importEnterpriseRegister(
  deps: IdentityDeps,
  by: Importer,
  extract: RegisterExtract<EnterpriseKey>,
): Promise<RegisterImport> {
  const { pii } = deps;
  const errors: FieldError[] = [];
  const first = new Map<string, number>();
  const records: Array<Omit<repo.EnterpriseRecord, 'asOf'>> = [];
  for (const { row, values: v } of extract.rows) {
    const e: FieldError[] = [];
    const u = validateUscc(v.uscc);
    if (!u.valid)
      e.push({
        pointer: `/${row}/uscc`,
        code: `identifiers.${u.reason.code}`,
        detail: { zh: u.reason.zh, en: u.reason.en },
      });
    else {
      const previous = first.get(u.normalized);
      if (previous !== undefined) e.push(fieldError(`/${row}/uscc`, IdentityFieldErrors.usccRepeated, { previous }));
      else first.set(u.normalized, row);
    }
    if (!v.name || [...v.name].length > 100) e.push(fieldError(`/${row}/name`, IdentityFieldErrors.required));
    if (!isRealName(v.legalRepresentativeName))
      e.push(fieldError(`/${row}/legalRepresentativeName`, IdentityFieldErrors.nameInvalid));
    const idNumber = checkIdNumber(v.legalRepresentativeIdNumber, `/${row}/legalRepresentativeIdNumber`, e);
    errors.push(...e);
    if (!e.length && u.valid && idNumber)
      records.push({
        uscc: u.normalized,
        name: v.name,
        legalRepresentativeName: v.legalRepresentativeName,
        legalRepresentativeIdNumber: idNumber,
      });
  }
  if (errors.length) refuse(errors);
  return writeImport(deps, 'enterprise', by, extract, (tx, id) =>
    repo.upsertEnterpriseRecords(tx, pii, records, extract.asOf, id),
  );
}

/** The imports made, newest first. */
export async function listRegisterImports(deps: IdentityDeps, limit = 100): Promise<RegisterImport[]> {
  return (await repo.listRegisterImports(deps.db, limit)).map(importView);
}

/** A CSV extract as the API and the CLI receive it: read, checked and imported into the register named. */
export async function importRegisterFile(
  deps: IdentityDeps,
  by: Importer,
  register: RegisterKind,
  file: Buffer,
  meta: { source: string; asOf: string },
): Promise<RegisterImport> {
  const sha256 = sha256Of(file);
  return register === 'population'
    ? importPopulationRegister(deps, by, { ...meta, sha256, rows: readCsv(file, POPULATION_COLUMNS) })
    : importEnterpriseRegister(deps, by, { ...meta, sha256, rows: readCsv(file, ENTERPRISE_COLUMNS) });
}

/** For the seed: whether this very file was imported into the register already. */
export async function hasImported(deps: IdentityDeps, register: RegisterKind, file: Buffer): Promise<boolean> {
  return !!(await repo.findRegisterImport(deps.db, register, sha256Of(file)));
}
