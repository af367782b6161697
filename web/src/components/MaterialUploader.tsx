// Uploads for one material: PDF, JPEG or PNG up to 10 MB, checked here before any byte is sent (the server
// checks the bytes again), with a preview of what was chosen. Files already on the server (a resumed
// draft) are listed by name. Staff at a window or a township centre can also scan paper with the document camera.
import { useEffect, useRef, useState } from 'react';
import { Button, Modal, Upload, type UploadFile } from 'antd';
import { useTranslation } from 'react-i18next';
import type { UploadedFile } from '@onething/shared/applications';
import { contentTypeOf, uploadFile } from '../features/applications/api';
import { errorMessage } from '../lib/api';
import { useSession } from '../features/identity/api';
import { isWindowClerk } from '../features/identity/window';
import { DocumentCamera } from './DocumentCamera';

export const ACCEPT = '.pdf,.jpg,.jpeg,.png';
export const MAX_BYTES = 10 * 1024 * 1024;
const TYPES = new Set(['application/pdf', 'image/jpeg', 'image/png']);

/** Why a file cannot be uploaded, as an i18n key, or null. */
export function fileProblem(file: {
  name: string;
  type: string;
  size: number;
}): 'upload.badType' | 'upload.tooLarge' | 'upload.empty' | null {
  const ext = file.name.toLowerCase().split('.').pop() ?? '';
  if (!['pdf', 'jpg', 'jpeg', 'png'].includes(ext) || !TYPES.has(contentTypeOf(file))) return 'upload.badType';
  if (file.size > MAX_BYTES) return 'upload.tooLarge';
  if (file.size === 0) return 'upload.empty';
  return null;
}

export interface StoredFile extends Pick<UploadedFile, 'id' | 'name' | 'contentType' | 'size'> {}

export function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export function MaterialUploader({
  id,
  label,
  files,
  onChange,
  multiple = true,
}: {
  id: string;
  label: string;
  files: StoredFile[];
  onChange(files: StoredFile[]): void;
  multiple?: boolean;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(0);
  const [preview, setPreview] = useState<{ url: string; type: string; name: string } | null>(null);
  // Local previews for files chosen on this device, by server file id.
  const urls = useRef(new Map<string, string>());
  const latest = useRef(files);
  latest.current = files;

  useEffect(() => () => urls.current.forEach((u) => URL.revokeObjectURL(u)), []);
  const session = useSession();
  // The account itself (not whom it acts for) is a window or township clerk.
  const atWindow = isWindowClerk(session.data);

  /** Uploads one file (chosen or scanned) and adds it to the material's list. */
  const add = async (f: File) => {
    setError(null);
    setBusy((n) => n + 1);
    try {
      const up = await uploadFile(f);
      urls.current.set(up.id, URL.createObjectURL(f));
      onChange([...latest.current, { id: up.id, name: up.name, contentType: up.contentType, size: up.size }]);
      return up;
    } catch (err) {
      setError(t('upload.failed', { name: f.name, reason: errorMessage(err) }));
      throw err;
    } finally {
      setBusy((n) => n - 1);
    }
  };

  const list: UploadFile[] = files.map((f) => ({
    uid: f.id,
    name: `${f.name} (${formatSize(f.size)})`,
    status: 'done',
    url: urls.current.get(f.id),
    type: f.contentType,
    ...(f.contentType.startsWith('image/') && urls.current.get(f.id) ? { thumbUrl: urls.current.get(f.id) } : {}),
  }));

  return (
    <div className="uploader">
      <Upload
        accept={ACCEPT}
        multiple={multiple}
        listType="picture"
        fileList={list}
        beforeUpload={(file) => {
          const problem = fileProblem(file);
          if (problem) {
            setError(t(problem, { name: file.name }));
            return Upload.LIST_IGNORE;
          }
          return true;
        }}
        customRequest={async ({ file, onSuccess, onError }) => {
          try {
            onSuccess?.(await add(file as File));
          } catch (err) {
            onError?.(err as Error);
          }
        }}
        onRemove={(u) => {
          onChange(latest.current.filter((f) => f.id !== u.uid));
          return true;
        }}
        onPreview={(u) => {
          const url = urls.current.get(u.uid);
          if (url) setPreview({ url, type: u.type ?? '', name: u.name });
        }}
        showUploadList={{ showPreviewIcon: true, showRemoveIcon: true }}
      >
        <Button loading={busy > 0} aria-describedby={`${id}-upload-hint`}>
          {t('upload.choose', { material: label })}
        </Button>
      </Upload>
      {atWindow && (
        <DocumentCamera
          label={label}
          busy={busy > 0}
          onPage={async (f) => void (await add(f).catch(() => undefined))}
        />
      )}
      <p id={`${id}-upload-hint`} className="hint">
        {t('upload.hint')}
      </p>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      <Modal
        open={!!preview}
        title={preview?.name}
        footer={null}
        onCancel={() => setPreview(null)}
        width={720}
        destroyOnHidden
      >
        {preview?.type.startsWith('image/') ? (
          <img src={preview.url} alt={t('upload.previewOf', { name: preview.name })} className="preview-image" />
        ) : preview ? (
          <object
            data={preview.url}
            type="application/pdf"
            className="preview-pdf"
            aria-label={t('upload.previewOf', { name: preview.name })}
          >
            <a href={preview.url} target="_blank" rel="noreferrer">
              {t('upload.openPdf')}
            </a>
          </object>
        ) : null}
      </Modal>
    </div>
  );
}
