// Switching to act for an enterprise (一企来办): a person who is an enterprise's agent handles its one-things
// under their own login. The account lists the enterprises it may act for; choosing one switches the session.
// Its own chunk: loaded when the menu item is chosen.
import { useState } from 'react';
import { Alert, Modal, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Me } from '@onething/shared/identity';
import { useActAs } from '../features/identity/api';
import { ProblemAlert } from './ProblemAlert';

export default function ActAsDialog({ account, onClose }: { account: Me; onClose(): void }) {
  const { t } = useTranslation();
  const actAs = useActAs();
  const [choice, setChoice] = useState<string>(account.actingFor?.id ?? '');
  const enterprises = account.enterprises ?? [];
  return (
    <Modal
      open
      title={t('actAs.title')}
      okText={t('actAs.switch')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: enterprises.length === 0, loading: actAs.isPending }}
      onCancel={onClose}
      onOk={() => actAs.mutate(choice || null, { onSuccess: onClose })}
      destroyOnHidden
    >
      {enterprises.length === 0 ? (
        <Alert type="info" showIcon title={t('actAs.none')} description={t('actAs.noneHelp')} />
      ) : (
        <Radio.Group
          value={choice}
          onChange={(e) => setChoice(String(e.target.value))}
          aria-label={t('actAs.title')}
          className="stack"
        >
          <Radio value="">{t('actAs.myself', { name: account.displayName })}</Radio>
          {enterprises.map((e) => (
            <Radio key={e.id} value={e.id}>
              {e.name}
              {e.creditCode ? ` (${e.creditCode})` : ''}
            </Radio>
          ))}
        </Radio.Group>
      )}
      <ProblemAlert error={actAs.error} />
    </Modal>
  );
}
