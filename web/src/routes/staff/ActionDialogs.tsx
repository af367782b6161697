// The forms behind the reviewer's actions that need more than a click: 不予受理 and 终止 (a reason), the
// one-time 补正 notice (every problem at once: rows of material + problem, and a note), 容缺受理 (the declared
// materials, the commitment, the supplement deadline) and the decision (准予 or 不予 with a reason).
import { AutoComplete, Button, DatePicker, Form, Input, Modal, Radio, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../app/ProblemAlert';
import { actionLabel, type ActionBodyOf } from '@onething/shared/cases';
import { useLang } from '../../lib/preferences';
import { pick } from '../../lib/text';

export type DialogKind = 'refuse' | 'terminate' | 'request_correction' | 'accept_with_gap' | 'decide';

interface Props {
  kind: DialogKind | null;
  pending: boolean;
  error: unknown;
  materials: Array<{ value: string; label: string }>;
  declaredGaps: string[];
  onSubmit: (body: ActionBodyOf<'department'>) => void;
  onClose: () => void;
}

export function ActionDialog({ kind, pending, error, materials, declaredGaps, onSubmit, onClose }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const [form] = Form.useForm();
  const decision = Form.useWatch('decision', form) as 'approve' | 'deny' | undefined;
  if (!kind) return null;
  const title = pick(actionLabel(kind, 'department'), lang);

  const finish = (v: Record<string, unknown>) => {
    switch (kind) {
      case 'refuse':
      case 'terminate':
        return onSubmit({ action: kind, reason: String(v.reason).trim() });
      case 'request_correction': {
        const problems = (v.problems as Array<{ material: string; problem: string }>).map((p) => ({
          material: p.material.trim(),
          problem: p.problem.trim(),
        }));
        const note = typeof v.note === 'string' && v.note.trim() ? v.note.trim() : undefined;
        return onSubmit({ action: 'request_correction', problems, ...(note ? { note } : {}) });
      }
      case 'accept_with_gap':
        return onSubmit({
          action: 'accept_with_gap',
          materials: v.materials as string[],
          commitment: String(v.commitment).trim(),
          dueDate: (v.dueDate as Dayjs).format('YYYY-MM-DD'),
        });
      case 'decide': {
        const reason = typeof v.reason === 'string' && v.reason.trim() ? v.reason.trim() : undefined;
        return onSubmit({
          action: 'decide',
          decision: v.decision as 'approve' | 'deny',
          ...(reason ? { reason } : {}),
        });
      }
    }
  };

  const required = { required: true, whitespace: true, message: t('staff.dialog.required') };
  return (
    <Modal
      open
      title={title}
      width={kind === 'request_correction' ? 760 : 560}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={pending} onClick={() => form.submit()}>
          {t('staff.dialog.confirm', { action: title })}
        </Button>,
      ]}
    >
      <Form
        form={form}
        layout="vertical"
        requiredMark
        onFinish={finish}
        initialValues={
          kind === 'request_correction'
            ? { problems: [{ material: '', problem: '' }] }
            : kind === 'decide'
              ? { decision: 'approve' }
              : kind === 'accept_with_gap'
                ? { materials: declaredGaps }
                : {}
        }
      >
        {(kind === 'refuse' || kind === 'terminate') && (
          <Form.Item name="reason" label={t('staff.dialog.reason')} rules={[required]}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        )}
        {kind === 'request_correction' && (
          <>
            <p className="muted">{t('staff.dialog.correctionIntro')}</p>
            <Form.List name="problems">
              {(fields, { add, remove }) => (
                <div className="correction-rows">
                  {fields.map((f, i) => (
                    <fieldset key={f.key} className="correction-row" data-testid={`problem-${i}`}>
                      <legend>{t('staff.dialog.problemN', { n: i + 1 })}</legend>
                      <Form.Item
                        name={[f.name, 'material']}
                        label={t('staff.dialog.material')}
                        rules={[required]}
                        className="correction-material"
                      >
                        <AutoComplete
                          options={materials}
                          filterOption={(input, o) =>
                            `${o?.label ?? ''} ${o?.value ?? ''}`.toLowerCase().includes(input.toLowerCase())
                          }
                          maxLength={100}
                        />
                      </Form.Item>
                      <Form.Item
                        name={[f.name, 'problem']}
                        label={t('staff.dialog.problem')}
                        rules={[required]}
                        className="correction-problem"
                      >
                        <Input maxLength={2000} />
                      </Form.Item>
                      <Button
                        onClick={() => remove(f.name)}
                        disabled={fields.length === 1}
                        aria-label={t('staff.dialog.removeProblem', { n: i + 1 })}
                      >
                        {t('common.delete')}
                      </Button>
                    </fieldset>
                  ))}
                  <Button
                    type="dashed"
                    onClick={() => add({ material: '', problem: '' })}
                    disabled={fields.length >= 50}
                    block
                  >
                    {t('staff.dialog.addProblem')}
                  </Button>
                </div>
              )}
            </Form.List>
            <Form.Item name="note" label={t('staff.dialog.note')} className="correction-note">
              <Input.TextArea rows={2} maxLength={2000} />
            </Form.Item>
          </>
        )}
        {kind === 'accept_with_gap' && (
          <>
            <Form.Item
              name="materials"
              label={t('staff.dialog.gapMaterials')}
              rules={[{ required: true, message: t('staff.dialog.required') }]}
              extra={declaredGaps.length === 0 ? t('staff.dialog.noDeclaredGaps') : undefined}
            >
              <Select
                mode="multiple"
                options={declaredGaps.map((m) => materials.find((x) => x.value === m) ?? { value: m, label: m })}
              />
            </Form.Item>
            <Form.Item name="commitment" label={t('staff.dialog.commitment')} rules={[required]}>
              <Input.TextArea rows={2} maxLength={2000} />
            </Form.Item>
            <Form.Item
              name="dueDate"
              label={t('staff.dialog.gapDueDate')}
              rules={[{ required: true, message: t('staff.dialog.required') }]}
            >
              <DatePicker format="YYYY-MM-DD" />
            </Form.Item>
          </>
        )}
        {kind === 'decide' && (
          <>
            <Form.Item
              name="decision"
              label={t('staff.dialog.decision')}
              rules={[{ required: true, message: t('staff.dialog.required') }]}
            >
              <Radio.Group
                options={[
                  { value: 'approve', label: t('staff.decision.approve') },
                  { value: 'deny', label: t('staff.decision.deny') },
                ]}
              />
            </Form.Item>
            <Form.Item
              name="reason"
              label={decision === 'deny' ? t('staff.dialog.denyReason') : t('staff.dialog.decisionNote')}
              rules={decision === 'deny' ? [required] : []}
            >
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
          </>
        )}
      </Form>
      <ProblemAlert error={error} />
    </Modal>
  );
}
