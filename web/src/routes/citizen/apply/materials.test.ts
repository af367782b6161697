// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { GuidanceMaterial } from '@onething/shared/applications';
import { buildMaterials, choicesFromDraft, modesFor } from './materials';

const m = (
  id: string,
  provision: GuidanceMaterial['provision'],
  extra: Partial<GuidanceMaterial> = {},
): GuidanceMaterial => ({
  id,
  name: { zh: id, en: id },
  provision,
  certificateType: null,
  required: true,
  toleratedGapAllowed: false,
  usedBy: ['x'],
  ...extra,
});
const text = (x: GuidanceMaterial, signer: string) => `I promise ${x.id} — ${signer}`;

describe('materials of the one-time notice', () => {
  it('offers the e-certificate first, uploads, and 容缺 only where every item tolerates it', () => {
    expect(modesFor(m('a', 'certificate'))).toEqual(['certificate', 'upload']);
    expect(modesFor(m('b', 'upload', { toleratedGapAllowed: true }))).toEqual(['upload', 'gap']);
    expect(modesFor(m('c', 'produced'))).toEqual([]);
  });

  it('builds the submission and names what is missing', () => {
    const list = [
      m('id', 'certificate'),
      m('cert', 'produced'),
      m('invoice', 'upload'),
      m('summary', 'upload', { toleratedGapAllowed: true }),
      m('extra', 'upload', { required: false }),
    ];
    const empty = buildMaterials(list, {}, text, '张三');
    expect(empty.submitted).toEqual([]);
    expect(empty.problems).toEqual([
      { id: 'id', problem: 'consent' },
      { id: 'invoice', problem: 'files' },
      { id: 'summary', problem: 'files' },
    ]);
    const choices = {
      id: { id: 'id', mode: 'certificate' as const, consent: true, files: [], signer: '' },
      invoice: {
        id: 'invoice',
        mode: 'upload' as const,
        consent: false,
        files: [{ id: 'f1', name: 'a.pdf', contentType: 'application/pdf', size: 10 }],
        signer: '',
      },
      summary: { id: 'summary', mode: 'gap' as const, consent: false, files: [], signer: '李四' },
    };
    expect(buildMaterials(list, choices, text, '张三').problems).toEqual([
      { id: 'summary', problem: 'signerMismatch' },
    ]);
    const ok = buildMaterials(list, { ...choices, summary: { ...choices.summary, signer: ' 张三 ' } }, text, '张三');
    expect(ok.problems).toEqual([]);
    expect(ok.submitted).toEqual([
      { id: 'id', kind: 'certificate', consent: true },
      { id: 'invoice', kind: 'upload', fileIds: ['f1'] },
      { id: 'summary', kind: 'gap', commitment: 'I promise summary — 张三' },
    ]);
  });

  it('restores well-formed choices from a draft and drops the rest', () => {
    expect(
      choicesFromDraft([{ id: 'a', mode: 'upload', files: [{ id: 'f' }] }, { id: 'b', mode: 'teleport' }, null, 'x']),
    ).toEqual({ a: { id: 'a', mode: 'upload', consent: false, files: [{ id: 'f' }], signer: '' } });
  });
});
