// What the cases context asks of intake (its ApplicationPort): an application's reference, the materials serving
// one item with what was submitted for each, and the uploaded files among them.
import { Readable } from 'node:stream';
import type { SubmittedMaterial } from '@onething/shared/applications';
import type { Executor } from '../../platform/db.ts';
import { readUpload } from '../../platform/uploads.ts';
import { bindService } from '../../platform/request-context.ts';
import { evaluateCondition } from '../catalogue/index.ts';
import type { ApplicationPort, ApplicationRef, CaseFile, CaseMaterial } from '../cases/index.ts';
import type { ApplicationsDeps } from './applications.deps.ts';
import * as repo from './applications.repository.ts';
import { toRef } from './applications.view.ts';

/** The port's dependencies: the cases service is made after it, with it. */
export type PortDeps = Pick<ApplicationsDeps, 'catalogue' | 'pii' | 'dataDir'>;

export function applicationPort(deps: PortDeps): ApplicationPort {
  return bindService(deps, { find: findRef, materialsFor, fileFor });
}

export async function findRef(_deps: PortDeps, ex: Executor, id: string): Promise<ApplicationRef | undefined> {
  const a = await repo.findApplication(ex, id);
  return a ? toRef(a) : undefined;
}

/** The materials serving one item; `received`: the certificate types the item gets from earlier items. */
export async function materialsFor(
  deps: PortDeps,
  ex: Executor,
  applicationId: string,
  itemCode: string,
  received: ReadonlySet<string>,
): Promise<CaseMaterial[]> {
  const found = await itemMaterials(deps, ex, applicationId, itemCode);
  if (!found) return [];
  const files = new Map(
    (
      await repo.filesOf(
        ex,
        found.application.applicantId,
        found.materials.flatMap((m) => uploadedIds(m.given)),
      )
    ).map((f) => [f.id, f]),
  );
  return found.materials.map(({ material: m, given }) => {
    const certificateType = m.satisfiedBy ? m.satisfiedBy.slice('certificate:'.length) : null;
    const how = given?.kind ?? (certificateType && received.has(certificateType) ? 'produced' : 'missing');
    return {
      id: m.id,
      name: m.name,
      given: how,
      certificateType,
      files: uploadedIds(given).flatMap((id) => {
        const f = files.get(id);
        return f ? [{ id: f.id, name: f.fileName, contentType: f.contentType, size: f.size }] : [];
      }),
      commitment: given?.kind === 'gap' ? given.commitment : null,
    };
  });
}

/** The file if it is one of the uploads of the materials serving this item (and the applicant's own). */
export async function fileFor(
  deps: PortDeps,
  ex: Executor,
  applicationId: string,
  itemCode: string,
  fileId: string,
): Promise<CaseFile | undefined> {
  const found = await itemMaterials(deps, ex, applicationId, itemCode);
  if (!found?.materials.some((m) => uploadedIds(m.given).includes(fileId))) return undefined;
  const [f] = await repo.filesOf(ex, found.application.applicantId, [fileId]);
  if (!f) return undefined;
  // Opened before anything is sent, so that a file that does not open is an error, not a cut-off download.
  const bytes = await readUpload(deps.dataDir, deps.pii, f);
  return {
    id: f.id,
    // The name goes into a response header, which proxies may log: masked (the case view has it in full).
    name: deps.pii.maskJson(f.fileName),
    contentType: f.contentType,
    size: f.size,
    sha256: f.sha256,
    ownerId: f.ownerId,
    open: () => Readable.from([bytes]),
  };
}

/** The bundle materials serving an item (those whose condition the answers meet), with what was submitted for each. */
async function itemMaterials({ catalogue, pii }: PortDeps, ex: Executor, applicationId: string, itemCode: string) {
  const a = await repo.findApplication(ex, applicationId);
  if (!a) return undefined;
  const b = await catalogue.resolveBundle(a.bundleCode, a.bundleVersion);
  const answers = pii.openJson(a.answers) as Record<string, unknown>;
  const submitted = new Map((pii.openJson(a.materials) as SubmittedMaterial[]).map((m) => [m.id, m]));
  const materials = b.content.materials.filter(
    (m) => m.usedBy.some((u) => u.item === itemCode) && (!m.when || evaluateCondition(m.when, answers)),
  );
  return { application: a, materials: materials.map((m) => ({ material: m, given: submitted.get(m.id) })) };
}

function uploadedIds(given: SubmittedMaterial | undefined): string[] {
  return given?.kind === 'upload' ? given.fileIds : [];
}
