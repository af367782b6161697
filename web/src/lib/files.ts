// Files in the console: a chosen .json file read, a value offered as a .json file, and a file the server makes (an
// .xlsx export) downloaded under the name it suggests.
import i18n from '../i18n';
import { ApiError, type Problem } from './api';

/** Reads a chosen .json file; a file that is not JSON is an error in the user's words. */
export async function readJsonFile(file: File): Promise<unknown> {
  return JSON.parse(await file.text()) as unknown;
}

/** Offers a value as a downloaded JSON file. */
export function downloadJson(name: string, value: unknown) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

/** Downloads a file the server makes (an .xlsx export), under the name it suggests. */
export async function downloadFile(path: string, fallbackName: string): Promise<void> {
  const res = await fetch(path, {
    credentials: 'same-origin',
    headers: { 'accept-language': i18n.language === 'en' ? 'en' : 'zh-CN' },
  });
  if (!res.ok) {
    const problem = (await res.json().catch(() => null)) as Problem | null;
    throw new ApiError(res.status, problem, problem?.title ?? i18n.t('error.http', { status: res.status }));
  }
  const disposition = res.headers.get('content-disposition') ?? '';
  const m = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const name = m ? decodeURIComponent(m[1]!) : fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
