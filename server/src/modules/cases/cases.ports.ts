// What the cases context is given (its dependencies, the applications context's read-only port) and the shapes it
// exchanges with the applications context.
import type { CaseMaterial, CaseMaterialFile, CaseOutput } from '@onething/shared/cases';
import type { Database, Executor } from '../../platform/db.ts';
import type { PiiSealer } from '../../platform/pii.ts';
import type { Clock } from '../../platform/clock.ts';
import type { CalendarService } from '../calendar/index.ts';
import type { NewCase } from './cases.repository.ts';

/** What the cases' functions work with; createServices (app.ts) builds it once. */
export interface CasesDeps {
  db: Database;
  calendar: CalendarService;
  clock: Clock;
  /** Seals the JSON columns that may hold ID and phone numbers (platform/pii.ts). */
  pii: PiiSealer;
  applications: ApplicationPort;
}

/** What an item produces: planned at submission, issued when the case concludes with 准予. */
export type PlannedOutput = CaseOutput;

export interface ApplicationRef {
  id: string;
  number: string;
  /** The person or enterprise of record. */
  applicantId: string;
  /** The account that submitted (the applicant, an agent, a family member or window staff). */
  submittedBy: string;
  bundleCode: string;
  submittedOn: string;
  declaredGaps: Record<string, string[]>;
}

/** An uploaded file among a case's materials, and a way to read its bytes. */
export interface CaseFile extends CaseMaterialFile {
  sha256: string;
  ownerId: string;
  open(): NodeJS.ReadableStream;
}

/**
 * Reads what the cases context needs of an application (owned by the applications context). Reads only: an
 * application's progress is the cases' to write (cases.repository.ts setApplicationProgress).
 */
export interface ApplicationPort {
  find(ex: Executor, applicationId: string): Promise<ApplicationRef | undefined>;
  /** The materials serving one item; `received`: the certificate types the item gets from earlier items. */
  materialsFor(
    ex: Executor,
    applicationId: string,
    itemCode: string,
    received: ReadonlySet<string>,
  ): Promise<CaseMaterial[]>;
  /** The file if it is one of the uploads of the materials serving this item (and the applicant's own), else undefined. */
  fileFor(ex: Executor, applicationId: string, itemCode: string, fileId: string): Promise<CaseFile | undefined>;
}

/** One selected item of a new application, as the case that will handle it needs it. */
export interface NewCaseItem {
  itemCode: string;
  itemVersion: number;
  departmentCode: string;
  regionCode: string;
  /** The item codes among the same application's items that must conclude first. */
  dependsOn: string[];
  /** The item's own fields, mapped from the application's form. */
  data: Record<string, unknown>;
  /** What the item produces once granted. */
  outputs: Array<Pick<PlannedOutput, 'certificateType' | 'name'>>;
  promisedDays: NewCase['promisedDays'];
  statutoryDays: NewCase['statutoryDays'];
}
