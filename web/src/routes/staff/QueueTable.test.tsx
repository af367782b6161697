// The queue's plain table and pager in jsdom: which rows can be chosen, what choosing the page does, the page
// buttons around the current one, and the page size.
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { act, fireEvent, render, screen } from '@testing-library/react';
import i18n from '../../i18n';
import { QueuePager, QueueTable, pageButtons, type QueueSelection } from './QueueTable';

interface Row {
  id: string;
  status: 'pending' | 'decided';
}
const ROWS: Row[] = [
  { id: 'a', status: 'pending' },
  { id: 'b', status: 'decided' },
  { id: 'c', status: 'pending' },
];

function Harness({ rows, onChosen }: { rows: Row[]; onChosen: (ids: string[]) => void }) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const selection: QueueSelection<Row> = {
    selected,
    selectable: (r) => r.status === 'pending',
    label: (r) => `选择 ${r.id}`,
    onChange: (chosen) => {
      const ids = chosen.map((r) => r.id);
      onChosen(ids);
      setSelected(new Set(ids));
    },
  };
  return (
    <QueueTable<Row>
      caption="队列"
      rows={rows}
      rowKey={(r) => r.id}
      rowClass={(r) => (r.id === 'a' ? 'row-overdue' : '')}
      columns={[{ key: 'id', title: '编号', cell: (r) => r.id }]}
      selection={selection}
      loading={false}
      empty="没有办件"
    />
  );
}

describe('QueueTable', () => {
  it('lets only the rows an action can move be chosen, one by one or the whole page', async () => {
    await act(() => i18n.changeLanguage('zh-CN'));
    const calls: string[][] = [];
    render(<Harness rows={ROWS} onChosen={(ids) => calls.push(ids)} />);
    expect(screen.getByRole('table', { name: '队列' })).toBeTruthy();
    expect(document.querySelectorAll('tbody tr.queue-row')).toHaveLength(3);
    expect(document.querySelector('tr[data-row-key="a"]')!.className).toContain('row-overdue');
    const b = screen.getByRole('checkbox', { name: '选择 b' }) as HTMLInputElement;
    expect(b.disabled).toBe(true);

    fireEvent.click(screen.getByRole('checkbox', { name: '选择 c' }));
    expect(calls.at(-1)).toEqual(['c']);
    const page = screen.getByRole('checkbox', { name: '选择本页全部可操作的办件' }) as HTMLInputElement;
    expect(page.indeterminate).toBe(true); // one of the two that can be chosen
    fireEvent.click(page);
    expect(calls.at(-1)).toEqual(['a', 'c']); // not b
    expect(page.checked).toBe(true);
    fireEvent.click(page);
    expect(calls.at(-1)).toEqual([]);
    fireEvent.click(screen.getByRole('checkbox', { name: '选择 a' }));
    fireEvent.click(screen.getByRole('checkbox', { name: '选择 c' }));
    fireEvent.click(screen.getByRole('checkbox', { name: '选择 a' }));
    expect(calls.at(-1)).toEqual(['c']);
  });

  it('says so when nothing matches', async () => {
    await act(() => i18n.changeLanguage('zh-CN'));
    render(<Harness rows={[]} onChosen={() => undefined} />);
    expect(screen.getByText('没有办件')).toBeTruthy();
    expect((screen.getByRole('checkbox', { name: '选择本页全部可操作的办件' }) as HTMLInputElement).disabled).toBe(
      true,
    );
  });
});

describe('the queue pager', () => {
  it('gives the first, the last and two either side of the current page a button', () => {
    expect(pageButtons(1, 1)).toEqual([1]);
    expect(pageButtons(1, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(pageButtons(1, 5000)).toEqual([1, 2, 3, 'gap', 5000]);
    expect(pageButtons(50, 5000)).toEqual([1, 'gap', 48, 49, 50, 51, 52, 'gap', 5000]);
    expect(pageButtons(4, 10)).toEqual([1, 2, 3, 4, 5, 6, 'gap', 10]);
    expect(pageButtons(5, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 'gap', 10]); // 2 is shown, not hidden behind a gap
    expect(pageButtons(5000, 5000)).toEqual([1, 'gap', 4998, 4999, 5000]);
  });

  it('moves between pages and changes the page size, in English too', async () => {
    await act(() => i18n.changeLanguage('en'));
    const moves: Array<[number, number]> = [];
    render(
      <QueuePager
        page={1}
        pageSize={20}
        total={100_000}
        sizes={[20, 50, 100]}
        onChange={(p, s) => moves.push([p, s])}
      />,
    );
    expect(screen.getByText('100,000 open cases')).toBeTruthy(); // grouped by thousands
    expect((screen.getByRole('button', { name: 'Previous' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('button', { name: 'Page 1' }).getAttribute('aria-current')).toBe('page');
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    fireEvent.click(screen.getByRole('button', { name: 'Page 5000' }));
    fireEvent.change(screen.getByLabelText('Per page'), { target: { value: '50' } });
    expect(moves).toEqual([
      [2, 20],
      [5000, 20],
      [1, 50],
    ]);
    await act(() => i18n.changeLanguage('zh-CN'));
  });

  it('says "more than" when the server counted only so far, and pages through what it counted', async () => {
    const moves: Array<[number, number]> = [];
    const { rerender } = render(
      <QueuePager
        page={1}
        pageSize={20}
        total={10_000}
        more
        sizes={[20, 50, 100]}
        onChange={(p, s) => moves.push([p, s])}
      />,
    );
    expect(screen.getByText('超过 10,000 件在办')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '第 500 页' }));
    expect(moves).toEqual([[500, 20]]);
    await act(() => i18n.changeLanguage('en'));
    rerender(
      <QueuePager page={1} pageSize={20} total={10_000} more sizes={[20, 50, 100]} onChange={() => undefined} />,
    );
    expect(screen.getByText('More than 10,000 open cases')).toBeTruthy();
    await act(() => i18n.changeLanguage('zh-CN'));
  });
});
