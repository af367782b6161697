// What the registration and window forms send, and how a refusal is read. No server.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/api';
import { isNumberHeld, realNameLevelKey, registrationBody, windowProofBody } from './proofing';

describe('registration', () => {
  it('trims the fields and upper-cases the check character of the ID number', () => {
    expect(
      registrationBody({
        username: ' lisi ',
        password: ' keep spaces ',
        realName: ' 李四 ',
        idNumber: ' 32010219880512123x ',
        phone: '139 5100-0001',
      }),
    ).toEqual({
      username: 'lisi',
      password: ' keep spaces ',
      realName: '李四',
      idNumber: '32010219880512123X',
      phone: '13951000001',
    });
  });

  it('names each real-name level', () => {
    expect([1, 2, 3].map((l) => realNameLevelKey(l as 1 | 2 | 3))).toEqual([
      'proofing.level.1',
      'proofing.level.2',
      'proofing.level.3',
    ]);
  });
});

describe('the window', () => {
  const form = {
    username: ' kong ',
    person: { name: ' 孔令伟 ', idNumber: '32010619880808412x' },
    idCard: { check: 'id_card_reader' as const, reference: '  ' },
    reclaim: true,
  };

  it('asks for a reclaim only once the server said another account holds the number', () => {
    expect(windowProofBody(form, false)).toEqual({
      username: 'kong',
      person: { name: '孔令伟', idNumber: '32010619880808412X' },
      idCard: { check: 'id_card_reader' },
    });
    expect(windowProofBody(form, true)).toMatchObject({ reclaim: true });
    expect(windowProofBody({ ...form, reclaim: false }, true)).not.toHaveProperty('reclaim');
    expect(windowProofBody({ ...form, idCard: { check: 'visual', reference: ' NJ-1 ' } }, false).idCard).toEqual({
      check: 'visual',
      reference: 'NJ-1',
    });
  });

  it('recognises the refusal that offers a reclaim', () => {
    const problem = (code: string) =>
      new ApiError(409, { type: 't', title: 't', status: 409, code, errors: [] } as never, 't');
    expect(isNumberHeld(problem('identity.number_held'))).toBe(true);
    expect(isNumberHeld(problem('identity.username_taken'))).toBe(false);
    expect(isNumberHeld(new Error('network'))).toBe(false);
  });
});
