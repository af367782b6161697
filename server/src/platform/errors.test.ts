import { describe, expect, it } from 'vitest';
import { CasesErrors, CasesFieldErrors } from '@onething/shared/cases';
import { CommonErrors, defineProblems, fieldError } from '@onething/shared/problem';
import { ERROR_CODES } from '../app.ts';
import { AppError, registerErrors } from './errors.ts';

describe('error tables', () => {
  it('register every code once, and refuse a code declared twice', () => {
    expect(ERROR_CODES.get('cases.invalid_transition')).toBe(CasesErrors.invalidTransition);
    expect(ERROR_CODES.get('http.not_found')).toBe(CommonErrors.notFound);
    const Again = defineProblems({ lost: { code: 'cases.not_found', status: 404, title: { zh: '无', en: 'none' } } });
    expect(() => registerErrors({ CasesErrors, Again })).toThrow(
      'error code cases.not_found declared twice: CasesErrors.notFound and Again.lost',
    );
  });

  it('carry the parameters of their titles and fill in field messages', () => {
    const err = new AppError(CasesErrors.invalidTransition, {
      statusZh: '已受理',
      statusEn: 'accepted',
      actionZh: '受理',
      actionEn: 'accept',
    });
    expect(err.code).toBe('cases.invalid_transition');
    expect(err.params).toMatchObject({ statusZh: '已受理' });
    expect(fieldError('/reason', CasesFieldErrors.reasonRequired)).toEqual({
      pointer: '/reason',
      code: 'cases.reason_required',
      detail: { zh: '必须说明理由', en: 'a reason is required' },
    });
  });
});
