// The cases' contracts: a case's materials as the case view (GET /api/v1/cases/:id) lists them for the reviewer.
// Plain types, not zod schemas: nothing parses them; the server builds them and the web app shows them.

/** An uploaded file of a material, as the case view lists it; its bytes come from GET /api/v1/cases/:id/files/:fileId. */
export interface CaseMaterialFile {
  id: string;
  name: string;
  contentType: string;
  size: number;
}

/**
 * One material of the bundle that serves a case's item, and how the applicant gave it: uploaded (with its files),
 * an e-certificate fetched with consent, a 容缺 commitment, produced by an earlier item of the application, or
 * not given (an optional material left out).
 */
export interface CaseMaterial {
  id: string;
  name: { zh: string; en: string };
  given: 'upload' | 'certificate' | 'gap' | 'produced' | 'missing';
  certificateType: string | null;
  files: CaseMaterialFile[];
  commitment: string | null;
}
