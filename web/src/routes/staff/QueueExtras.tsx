// What the queue shows only now and then: the bar of bulk actions once cases are chosen, the result of a bulk
// action, and a problem. They use antd (Popconfirm, Button, Alert), so they are a chunk of their own, loaded
// when first needed (and fetched once the queue is on screen): the queue's first render does not wait for them.
import { Alert, Button, Popconfirm } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/api';
import { BULK_ACTIONS, type BulkAction, type BulkResult } from '../../features/cases/staff';
import type { CaseQueueRow } from '@onething/shared/cases';

export function BulkBar(props: {
  selected: number;
  countFor: (action: BulkAction) => number;
  running: BulkAction | null;
  onRun: (action: BulkAction) => void;
  onClear: () => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="staff-bulk" role="region" aria-label={t('staff.bulk.title')} data-testid="bulk-bar">
      <span>{t('staff.bulk.selected', { count: props.selected })}</span>
      {(Object.keys(BULK_ACTIONS) as BulkAction[]).map((action) => {
        const count = props.countFor(action);
        return (
          <Popconfirm
            key={action}
            title={t(`staff.bulk.confirm.${action}`, { count })}
            okText={t('staff.bulk.go')}
            cancelText={t('common.cancel')}
            onConfirm={() => props.onRun(action)}
            disabled={count === 0}
          >
            <Button
              type={action === 'accept' ? 'primary' : 'default'}
              disabled={count === 0}
              loading={props.running === action}
            >
              {t(`staff.bulk.${action}`, { count })}
            </Button>
          </Popconfirm>
        );
      })}
      <Button type="link" onClick={props.onClear}>
        {t('staff.bulk.clear')}
      </Button>
    </div>
  );
}

export function BulkResultAlert(props: {
  action: BulkAction;
  result: BulkResult;
  itemName: (row: CaseQueueRow) => string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { failed, done } = props.result;
  return (
    <Alert
      type={failed.length ? 'warning' : 'success'}
      showIcon
      closable={{ onClose: props.onClose }}
      data-testid="bulk-result"
      title={t(`staff.bulk.done.${props.action}`, { count: done.length })}
      description={
        failed.length > 0 ? (
          <ul className="problem-list">
            {failed.map(({ row, error }) => (
              <li key={row.id}>
                {row.applicationNumber} · {props.itemName(row)}: {errorMessage(error)}
              </li>
            ))}
          </ul>
        ) : undefined
      }
    />
  );
}

export { ProblemAlert } from '../../app/ProblemAlert';
