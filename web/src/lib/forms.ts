// antd forms and the server's problem+json: each field error goes on the field it names.
import type { FormInstance } from 'antd';
import { ApiError, type FieldProblem } from './api';

/**
 * Puts a problem's field errors on the form's fields: "/phone" → phone, "/roles/1" → roles, "/name/zh" → name.zh.
 * Returns whether any field took an error (the rest are for the alert above the buttons).
 */
export function showFieldProblems(form: FormInstance, err: unknown, fields: string[]): boolean {
  const problems: FieldProblem[] = err instanceof ApiError ? (err.problem?.errors ?? []) : [];
  const byField = new Map<string, { name: string[]; errors: string[] }>();
  for (const p of problems) {
    const parts = p.pointer.split('/').filter(Boolean);
    for (let n = parts.length; n > 0; n--) {
      const key = parts.slice(0, n).join('.');
      if (fields.includes(key)) {
        const entry = byField.get(key) ?? { name: parts.slice(0, n), errors: [] };
        entry.errors.push(p.detail);
        byField.set(key, entry);
        break;
      }
    }
  }
  form.setFields([...byField.values()]);
  return byField.size > 0;
}
