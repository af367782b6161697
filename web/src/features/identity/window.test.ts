// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { WindowConsentConfirmation } from '@onething/shared/identity';
import { CONSENT_METHOD_ORDER, confirmationOf } from './window';

const SENT = { challengeId: '6f1c2d3e-4b5a-4c6d-8e7f-001122334455' };

describe('the window’s consent confirmation', () => {
  it('offers only what comes from the person: their card read here, or the code on their phone', () => {
    expect(CONSENT_METHOD_ORDER).toEqual(['id_card_reader', 'sms_code']);
  });

  it('takes a card read only when the clerk ticked it, with the record number when given', () => {
    expect(confirmationOf({ method: 'id_card_reader' }, null)).toBeNull();
    expect(confirmationOf({ method: 'id_card_reader', cardRead: false }, null)).toBeNull();
    expect(confirmationOf({ method: 'id_card_reader', cardRead: true, reference: '  ' }, null)).toEqual({
      method: 'id_card_reader',
      cardRead: true,
    });
    expect(confirmationOf({ method: 'id_card_reader', cardRead: true, reference: ' 0042 ' }, null)).toEqual({
      method: 'id_card_reader',
      cardRead: true,
      reference: '0042',
    });
  });

  it('takes a code only after one was sent, and only six digits, with the challenge it belongs to', () => {
    expect(confirmationOf({ method: 'sms_code', code: '123456' }, null)).toBeNull();
    expect(confirmationOf({ method: 'sms_code', code: '12345' }, SENT)).toBeNull();
    expect(confirmationOf({ method: 'sms_code', code: '12345a' }, SENT)).toBeNull();
    const body = confirmationOf({ method: 'sms_code', code: ' 123456 ' }, SENT);
    expect(body).toEqual({ method: 'sms_code', challengeId: SENT.challengeId, code: '123456' });
    // What the page sends is what the server's schema takes.
    expect(WindowConsentConfirmation.safeParse(body).success).toBe(true);
    expect(
      WindowConsentConfirmation.safeParse(confirmationOf({ method: 'id_card_reader', cardRead: true }, null)).success,
    ).toBe(true);
  });
});
