// CSV reading: RFC 4180 quoting, line breaks in fields, encodings, headers by title or alias. No database.
import { describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';
import { decodeCsv, parseCsv, readCsv } from './csv.ts';

const fields = (text: string) => parseCsv(text).map((r) => r.fields);

describe('parseCsv', () => {
  it.each([
    [
      'a,b\n1,2\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'a,b\r\n1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    ['"a,1","b ""x"""\n', [['a,1', 'b "x"']]],
    ['"two\nlines",x\n', [['two\nlines', 'x']]],
    ['a,,c\n\n\n', [['a', '', 'c']]],
    ['say "hi",x\n', [['say "hi"', 'x']]],
  ])('reads %j', (text, expected) => {
    expect(fields(text)).toEqual(expected);
  });

  it('numbers records by the line they start on', () => {
    expect(parseCsv('h\n"a\nb"\nc\n').map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it.each([
    ['a,"open\n', 'csv.unclosed_quote'],
    ['"a"b,c\n', 'csv.text_after_quote'],
  ])('refuses %j', (text, code) => {
    expect(() => parseCsv(text)).toThrow(expect.objectContaining({ code }) as AppError);
  });
});

describe('decodeCsv and readCsv', () => {
  it('drops a byte-order mark and reads GB 18030 when the bytes are not UTF-8', () => {
    expect(decodeCsv(Buffer.from('\ufeff张三', 'utf8'))).toBe('张三');
    expect(decodeCsv(Buffer.from('d5c5c8fd', 'hex'))).toBe('张三');
  });

  const columns = [
    { key: 'id', header: '编号', alias: 'id', required: true },
    { key: 'name', header: '姓名', alias: 'name' },
  ] as const;

  it('finds columns by title or alias, in any order, and numbers rows as a sheet does', () => {
    expect(readCsv(Buffer.from('NAME,extra,编号\n张三,x,1\n,,\n李四,,2\n'), columns)).toEqual([
      { row: 2, values: { id: '1', name: '张三' } },
      { row: 4, values: { id: '2', name: '李四' } },
    ]);
  });

  it('names a required column that is missing', () => {
    expect(() => readCsv(Buffer.from('name\n张三\n'), columns)).toThrow(
      expect.objectContaining({ code: 'csv.missing_columns', params: { columns: '编号' } }) as AppError,
    );
  });
});
