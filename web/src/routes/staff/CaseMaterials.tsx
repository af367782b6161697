// The materials of a case as the reviewer checks them: each material serving the item and how the applicant
// gave it (uploaded files, an e-certificate fetched with consent, a 容缺 commitment, produced by an earlier item,
// or not given), and a viewer for the uploaded files. The viewer fetches the bytes with the session cookie into
// a blob URL (revoked when it closes): images are shown, PDFs embedded with a download link as the fallback.
import { useEffect, useState } from 'react';
import { Alert, Button, Modal, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/api';
import { useLang } from '../../lib/preferences';
import { pick } from '../../lib/text';
import { fetchCaseFile } from '../../features/cases/staff';
import type { CaseMaterial, CaseMaterialFile } from '@onething/shared/cases';

// The status tags' tones (components/StatusTag: antd's preset green and orange tags are below 4.5:1 contrast).
const GIVEN_TONE: Record<CaseMaterial['given'], string> = {
  upload: 'info',
  certificate: 'ok',
  produced: 'ok',
  gap: 'warn',
  missing: 'neutral',
};

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The list items of the materials; `onOpen` opens the viewer on a file. */
export function MaterialItems({
  materials,
  onOpen,
}: {
  materials: CaseMaterial[];
  onOpen(file: CaseMaterialFile): void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <>
      {materials.map((m) => {
        const name = pick(m.name, lang) || m.id;
        return (
          <li key={m.id} className="case-material" data-testid={`material-${m.id}`}>
            <span className="case-material-name">{name}</span>{' '}
            <span className={`status-tag tone-${GIVEN_TONE[m.given]}`}>{t(`staff.case.given.${m.given}`)}</span>
            {m.given === 'certificate' && m.certificateType && (
              <div className="muted">{t('staff.case.certificateType', { type: m.certificateType })}</div>
            )}
            {m.given === 'gap' && m.commitment && (
              <div className="muted">{t('staff.case.commitment', { text: m.commitment })}</div>
            )}
            {m.given === 'upload' && (
              <ul className="case-files" aria-label={t('staff.case.filesOf', { material: name })}>
                {m.files.map((f) => (
                  <li key={f.id}>
                    <Button
                      type="link"
                      size="small"
                      className="case-file"
                      aria-label={t('staff.case.viewFile', { name: f.name })}
                      onClick={() => onOpen(f)}
                    >
                      {f.name}
                    </Button>
                    <span className="muted">{size(f.size)}</span>
                  </li>
                ))}
                {m.files.length === 0 && <li className="muted">{t('staff.case.noFiles')}</li>}
              </ul>
            )}
          </li>
        );
      })}
    </>
  );
}

/** A file of the case in a dialog; the blob URL lives as long as the dialog shows this file. */
export function FileViewer({
  caseId,
  file,
  onClose,
}: {
  caseId: string;
  file: CaseMaterialFile | null;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const [state, setState] = useState<{ url: string; type: string } | { error: string } | null>(null);

  useEffect(() => {
    if (!file) return undefined;
    const abort = new AbortController();
    let url: string | null = null;
    setState(null);
    fetchCaseFile(caseId, file.id, abort.signal).then(
      (got) => {
        url = got.url;
        setState(got);
      },
      (err: unknown) => {
        if ((err as Error).name !== 'AbortError') setState({ error: errorMessage(err) });
      },
    );
    return () => {
      abort.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [caseId, file]);

  const [lastName, setLastName] = useState('');
  useEffect(() => {
    if (file) setLastName(file.name);
  }, [file]);
  const ready = state && 'url' in state ? state : null;
  const isImage = ready?.type.startsWith('image/');
  const download = ready ? (
    <a href={ready.url} download={file?.name}>
      {t('staff.case.download', { name: file?.name ?? '' })}
    </a>
  ) : null;

  return (
    // While it closes, the dialog keeps the name of the file it showed (a dialog without a name fails axe).
    <Modal
      open={!!file}
      title={file?.name ?? lastName}
      onCancel={onClose}
      footer={[
        <span key="download" className="viewer-download">
          {download}
        </span>,
        <Button key="close" onClick={onClose}>
          {t('staff.case.closeViewer')}
        </Button>,
      ]}
      width={900}
      destroyOnHidden
    >
      <div className="file-viewer" data-testid="file-viewer">
        {!state && <Spin aria-label={t('common.loading')} />}
        {state && 'error' in state && <Alert type="error" showIcon title={state.error} />}
        {ready && isImage && <img src={ready.url} alt={file?.name ?? ''} />}
        {ready && !isImage && (
          <object data={ready.url} type={ready.type} aria-label={file?.name ?? ''}>
            <p>
              {t('staff.case.noPreview')} {download}
            </p>
          </object>
        )}
      </div>
    </Modal>
  );
}
