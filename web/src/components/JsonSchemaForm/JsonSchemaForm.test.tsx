// The renderer in jsdom: titles in the user's language, sections as fieldsets, prefilled values with their
// source, and a message in the user's language as soon as a value is wrong.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Form } from 'antd';
import i18n from '../../i18n';
import { JsonSchemaForm, fieldLabel, type PrefillInfo } from './JsonSchemaForm';
import type { FieldSchema } from './schema';

const catalogue = JSON.parse(
  fs.readFileSync(path.resolve(import.meta.dirname, '../../../../server/seed/catalogue.json'), 'utf8'),
) as { bundles: Array<{ code: string; form: FieldSchema }> };
const newborn = catalogue.bundles.find((b) => b.code === 'newborn')!.form;
const enterprise = catalogue.bundles.find((b) => b.code === 'enterprise-opening')!.form;
const prefill: PrefillInfo = {
  values: { mother: { name: '李梅', idNumber: '320106199003082347' } },
  sources: {
    'mother.name': { attribute: 'spouse.name', source: '民政 婚姻登记信息' },
    'mother.idNumber': { attribute: 'spouse.idNumber', source: '民政 婚姻登记信息' },
  },
};

function Harness({ schema, lang, sections }: { schema: FieldSchema; lang: 'zh' | 'en'; sections?: string[] }) {
  const [form] = Form.useForm();
  return (
    <JsonSchemaForm
      schema={schema}
      form={form}
      lang={lang}
      prefill={prefill}
      initialValues={prefill.values}
      sections={sections}
    />
  );
}

describe('JsonSchemaForm', () => {
  it('renders the newborn form in Chinese with sections, widgets and prefill sources', async () => {
    await act(() => i18n.changeLanguage('zh-CN'));
    render(<Harness schema={newborn} lang="zh" />);
    expect(screen.getByRole('group', { name: '新生儿' })).toBeTruthy();
    expect(screen.getAllByLabelText('姓名')).toHaveLength(3); // child, mother, father: each in its own fieldset
    expect(screen.getByRole('radio', { name: '男' })).toBeTruthy();
    expect((screen.getAllByLabelText('公民身份号码')[0] as HTMLInputElement).value).toBe('320106199003082347');
    expect(screen.getAllByText('已预填 · 来源：民政 婚姻登记信息')).toHaveLength(2);
    expect(document.querySelector('.ant-picker')).toBeTruthy(); // the date pattern became a date picker
  });

  it('says what is wrong as the user types, in English', async () => {
    await act(() => i18n.changeLanguage('en'));
    render(<Harness schema={newborn} lang="en" sections={['mother']} />);
    expect(screen.queryByRole('group', { name: 'Child' })).toBeNull();
    const id = screen.getByLabelText('ID number') as HTMLInputElement;
    fireEvent.change(id, { target: { value: '12345' } });
    await waitFor(() =>
      expect(screen.getByText('ID number has 18 characters: digits, the last may be X')).toBeTruthy(),
    );
    expect(screen.getByText('Changed (prefilled from: Civil Affairs: marriage registration)')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: '' } });
    await waitFor(() => expect(screen.getByText('Enter Name')).toBeTruthy());
  });

  it('renders numbers and multiple choices, and names fields for API problems', async () => {
    await act(() => i18n.changeLanguage('zh-CN'));
    render(<Harness schema={enterprise} lang="zh" />);
    expect(screen.getByRole('checkbox', { name: '公章' })).toBeTruthy();
    expect(document.querySelector('.ant-input-number')).toBeTruthy();
    expect(fieldLabel(newborn, ['child', 'name'], 'en')).toBe('Child · Name');
  });
});
