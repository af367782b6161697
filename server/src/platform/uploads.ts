// Where uploaded files live (DATA_DIR/files) and how: sealed under the PII keys (platform/pii.ts, docs/adr/0023).
// The applications context writes and reads them through these, the seal pass re-seals them (ops/pii-seal.ts),
// the backup copies what is on disk and checks it against the row's stored SHA-256 (ops/backup.ts).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PiiSealer } from './pii.ts';

/** What a files row says about where and how its bytes are stored. */
export interface StoredUpload {
  id: string;
  storageKey: string;
  /** null: stored as uploaded, before files were sealed (migration 0015). */
  storedSha256: string | null;
}

/**
 * Where an upload is stored: by its id, and by the key it is sealed with, so that sealing it again under another
 * key writes a new file beside it rather than over it (a crash in between leaves the row's file whole).
 */
export function uploadStorageKey(fileId: string, keyId: string): string {
  return path.posix.join('files', fileId.slice(0, 2), `${fileId}.${keyId}`);
}

/** Seals the bytes and writes them where uploadStorageKey says; refuses to overwrite. */
export async function writeUpload(
  dataDir: string,
  pii: PiiSealer,
  fileId: string,
  bytes: Buffer,
): Promise<{ storageKey: string; storedSha256: string; storedSize: number }> {
  const sealed = pii.sealFile(bytes, fileId);
  const storageKey = uploadStorageKey(fileId, pii.activeKeyId);
  const target = path.join(dataDir, storageKey);
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  await fs.promises.writeFile(target, sealed, { flag: 'wx' });
  return { storageKey, storedSha256: sha256Hex(sealed), storedSize: sealed.length };
}

/** An upload's bytes as uploaded: opened when sealed, as stored when from before files were sealed. */
export async function readUpload(dataDir: string, pii: PiiSealer, f: StoredUpload): Promise<Buffer> {
  const stored = await fs.promises.readFile(path.join(dataDir, f.storageKey));
  return f.storedSha256 === null ? stored : pii.openFile(stored, f.id);
}

export function sha256Hex(bytes: Buffer): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}
