// Scanning paper materials at a window (扫描纸质材料): the document camera (高拍仪) on a clerk's desk is a USB
// camera, so the page shows its picture and takes a still of each page the clerk lays under it, as a JPEG that is
// then uploaded like any other file (and checked the same way by the server). Several cameras (a document camera
// and a webcam): the clerk picks one. Nothing leaves the browser until a page is taken.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Modal, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';

export function cameraAvailable(): boolean {
  return typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;
}

/** "扫描件-出院小结-1.jpg": the material's name and the page number, safe as a file name. */
export function scanFileName(material: string, page: number): string {
  const safe = material.replace(/[\\/:*?"<>|\s]+/g, '').slice(0, 40) || 'scan';
  return `扫描件-${safe}-${page}.jpg`;
}

export function DocumentCamera({
  label,
  onPage,
  busy,
}: {
  label: string;
  onPage(file: File): Promise<void>;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [deviceId, setDeviceId] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [pages, setPages] = useState(0);
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);

  const stop = useCallback(() => {
    stream.current?.getTracks().forEach((tr) => tr.stop());
    stream.current = null;
  }, []);

  useEffect(() => {
    if (!open) return stop;
    let cancelled = false;
    setError(null);
    navigator.mediaDevices
      .getUserMedia({
        video: deviceId
          ? { deviceId: { exact: deviceId }, width: { ideal: 2592 }, height: { ideal: 1944 } }
          : { width: { ideal: 2592 }, height: { ideal: 1944 } },
        audio: false,
      })
      .then(async (s) => {
        if (cancelled) return s.getTracks().forEach((tr) => tr.stop());
        stop();
        stream.current = s;
        if (video.current) {
          video.current.srcObject = s;
          await video.current.play().catch(() => undefined);
        }
        // Labels are readable only once a camera was allowed.
        const all = await navigator.mediaDevices.enumerateDevices();
        if (!cancelled) setDevices(all.filter((d) => d.kind === 'videoinput'));
      })
      .catch(
        (err: Error) =>
          !cancelled &&
          setError(
            t('scan.noCamera', { reason: err.name === 'NotAllowedError' ? t('scan.denied') : err.message || err.name }),
          ),
      );
    return () => {
      cancelled = true;
      stop();
    };
  }, [open, deviceId, stop, t]);

  const take = async () => {
    const v = video.current;
    if (!v?.videoWidth) return;
    const canvas = document.createElement('canvas');
    canvas.width = v.videoWidth;
    canvas.height = v.videoHeight;
    canvas.getContext('2d')!.drawImage(v, 0, 0);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.9));
    if (!blob) return setError(t('scan.failed'));
    const next = pages + 1;
    await onPage(new File([blob], scanFileName(label, next), { type: 'image/jpeg' }));
    setPages(next);
  };

  if (!cameraAvailable()) return null;
  return (
    <>
      <Button onClick={() => setOpen(true)}>{t('scan.open', { material: label })}</Button>
      <Modal
        open={open}
        title={t('scan.title', { material: label })}
        onCancel={() => setOpen(false)}
        width={760}
        destroyOnHidden
        footer={
          <Space>
            <span className="muted" aria-live="polite">
              {t('scan.taken', { count: pages })}
            </span>
            <Button type="primary" onClick={() => void take()} loading={busy} disabled={!!error}>
              {t('scan.take')}
            </Button>
            <Button onClick={() => setOpen(false)}>{t('scan.done')}</Button>
          </Space>
        }
      >
        {devices.length > 1 && (
          <label className="scan-device">
            <span id="scan-device">{t('scan.device')}</span>
            <Select<string>
              aria-labelledby="scan-device"
              style={{ width: 320 }}
              value={deviceId ?? devices[0]?.deviceId}
              onChange={setDeviceId}
              options={devices.map((d, i) => ({ value: d.deviceId, label: d.label || t('scan.camera', { n: i + 1 }) }))}
            />
          </label>
        )}
        {error ? (
          <Alert type="error" showIcon role="alert" title={error} />
        ) : (
          <video
            ref={video}
            className="scan-video"
            muted
            playsInline
            aria-label={t('scan.live')}
            data-testid="scan-video"
          />
        )}
        <p className="hint">{t('scan.hint')}</p>
      </Modal>
    </>
  );
}
