// @vitest-environment node
// The client editor's pure rules: the registration and the change the dialog sends, and when a change revokes.
import { describe, expect, it } from 'vitest';
import type { Client } from '@onething/shared/sso';
import {
  NEW_CLIENT,
  clientChanges,
  clientValues,
  isProvinceLevel,
  parseUris,
  registration,
  revokesIssued,
} from './clients';

const CLIENT: Client = {
  clientId: 'ot-1',
  name: '无锡市办事系统',
  departmentCode: 'wx-data-bureau',
  jurisdiction: '320200',
  redirectUris: ['https://a.example/cb', 'https://b.example/cb'],
  postLogoutRedirectUris: [],
  authMethod: 'client_secret_basic',
  scopes: ['openid', 'profile'],
  firstParty: true,
  createdAt: '2026-12-09T00:00:00.000Z',
};

describe('the SSO client editor', () => {
  it('reads one URI a line, blank lines and spaces aside', () => {
    expect(parseUris(' https://a.example/cb \n\n\thttps://b.example/cb\r\n')).toEqual([
      'https://a.example/cb',
      'https://b.example/cb',
    ]);
  });

  it('registers with the department, and leaves the jurisdiction to the server when empty', () => {
    const body = registration({
      ...NEW_CLIENT,
      name: ' 无锡市办事系统 ',
      departmentCode: 'wx-data-bureau',
      redirectUris: 'https://a.example/cb',
    });
    expect(body).toEqual({
      name: '无锡市办事系统',
      departmentCode: 'wx-data-bureau',
      redirectUris: ['https://a.example/cb'],
      postLogoutRedirectUris: [],
      authMethod: 'client_secret_basic',
      scopes: ['openid', 'profile'],
      firstParty: false,
    });
    expect(registration({ ...NEW_CLIENT, departmentCode: 'x', jurisdiction: ' 320211 ' }).jurisdiction).toBe('320211');
  });

  it('changes only what was changed: an unchanged form sends nothing', () => {
    expect(clientChanges(CLIENT, clientValues(CLIENT))).toEqual({});
    const v = {
      ...clientValues(CLIENT),
      jurisdiction: '320211',
      redirectUris: 'https://b.example/cb\nhttps://a.example/cb',
    };
    expect(clientChanges(CLIENT, v)).toEqual({
      jurisdiction: '320211',
      redirectUris: ['https://b.example/cb', 'https://a.example/cb'],
    });
    // The scopes are a set.
    expect(clientChanges(CLIENT, { ...clientValues(CLIENT), scopes: ['profile', 'openid'] })).toEqual({});
  });

  it('knows which changes revoke what the client was issued', () => {
    expect(revokesIssued(CLIENT, { firstParty: false })).toBe(true);
    expect(revokesIssued(CLIENT, { scopes: ['openid'] })).toBe(true);
    expect(revokesIssued(CLIENT, { scopes: ['openid', 'profile', 'onething'] })).toBe(false);
    expect(revokesIssued(CLIENT, { name: 'x' })).toBe(false);
    expect(revokesIssued({ ...CLIENT, firstParty: false }, { firstParty: true })).toBe(false);
  });

  it('takes only a whole province for province level', () => {
    expect(isProvinceLevel('320000')).toBe(true);
    expect(isProvinceLevel('320200')).toBe(false);
    expect(isProvinceLevel('320104001')).toBe(false);
    expect(isProvinceLevel(null)).toBe(false);
  });
});
