// One case on the reviewer's desk: what the applicant gave (the case's form data, the materials and how each
// was given, with a viewer for uploaded files, and the outputs of earlier items it received), its clock (due
// date, statutory due date, working days left), its
// history, and exactly the buttons the transition table allows this reviewer now. After every action the
// page reloads the case from the server.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Breadcrumb, Button, Card, Descriptions, Empty, Space, Typography, message } from 'antd';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../app/ProblemAlert';
import { useLang } from '../../lib/preferences';
import { pick, splitTitle } from '../../lib/text';
import { CaseTimeline } from '../../components/CaseTimeline';
import { StatusTag } from '../../components/StatusTag';
import { useWorkCalendar } from '../../features/calendar/api';
import { todayInChina } from '@onething/shared/calendar';
import type { ServiceItemContent } from '@onething/shared/catalogue';
import { useItemNames, useItems } from '../../features/catalogue/api';
import { flattenData, REVIEWER_ACTIONS, useReviewerAction, useStaffCase } from '../../features/cases/staff';
import {
  actionLabel,
  isOpen,
  type ActionBodyOf,
  type ActionOf,
  type CaseMaterialFile,
  type CaseView,
} from '@onething/shared/cases';
import { ActionDialog, type DialogKind } from './ActionDialogs';
import { FileViewer, MaterialItems } from './CaseMaterials';
import { Countdown, yearsOf } from './Countdown';
import './staff.css';
import { PageSpinner } from '../../app/PageSpinner';

const DIALOGS: readonly string[] = ['refuse', 'terminate', 'request_correction', 'accept_with_gap', 'decide'];

function knownMaterials(c: CaseView): string[] {
  const out = new Set<string>([...c.declaredGaps, ...(c.toleratedGap?.materials ?? [])]);
  for (const n of c.corrections) n.problems.forEach((p) => out.add(p.material));
  for (const i of c.inputs ?? []) if (typeof i.certificateType === 'string') out.add(i.certificateType);
  return [...out];
}

export default function CasePage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const lang = useLang();
  const c = useStaffCase(id);
  const act = useReviewerAction(id ?? '');
  const items = useItemNames();
  const [dialog, setDialog] = useState<DialogKind | null>(null);
  const [viewing, setViewing] = useState<CaseMaterialFile | null>(null);
  const today = todayInChina();
  const { calendar } = useWorkCalendar(yearsOf(today, [c.data?.dueDate, c.data?.statutoryDueDate]));
  const [toast, toastHolder] = message.useMessage();
  const [item] = useItems(c.data ? [c.data.item] : undefined);
  const content = item?.data?.content as
    | (ServiceItemContent & { fields?: { properties?: Record<string, { title?: string; enum?: unknown[] }> } })
    | undefined;
  const field = (key: string) => content?.fields?.properties?.[key.split(/[.[]/)[0]!];
  const materialName = (id: string) => pick(content?.materials.find((m) => m.id === id)?.name, lang);
  const labelled = (id: string) => (materialName(id) ? `${materialName(id)}（${id}）` : id);

  if (c.isPending) return <PageSpinner />;
  if (c.error || !c.data) return <ProblemAlert error={c.error} />;
  const k = c.data;
  const itemName = pick(items.data?.get(k.item.code), lang) || k.item.code;
  const buttons = REVIEWER_ACTIONS.filter((a) => k.actions.includes(a));

  const run = (body: ActionBodyOf<'department'>) =>
    act.mutate(body, {
      onSuccess: () => {
        setDialog(null);
        void toast.success(t('staff.done', { action: pick(actionLabel(body.action, 'department'), lang) }), 2);
      },
    });
  const click = (a: ActionOf<'department'>) => {
    act.reset();
    if (DIALOGS.includes(a)) setDialog(a as DialogKind);
    else run({ action: a } as ActionBodyOf<'department'>);
  };
  const dataRows = flattenData(k.data);

  return (
    <div className="staff-page">
      {toastHolder}
      <Breadcrumb items={[{ title: <Link to="/staff">{t('staff.queue.title')}</Link> }, { title: itemName }]} />
      <div className="staff-case-head">
        <Typography.Title level={1}>{itemName}</Typography.Title>
        <span data-testid="case-status">
          <StatusTag status={k.status} />
        </span>
      </div>
      <Descriptions bordered size="small" column={3} className="staff-clock">
        <Descriptions.Item label={t('staff.case.application')}>
          <span className="mono">{k.application.number}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('staff.case.received')}>{k.receivedOn ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('staff.case.accepted')}>{k.acceptedOn ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('staff.case.due')}>
          <span data-testid="due-date">{k.dueDate ?? '—'}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('staff.case.statutoryDue')}>{k.statutoryDueDate ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('staff.case.left')}>
          {!isOpen(k.status) ? (
            '—'
          ) : (
            <Countdown due={k.dueDate} today={today} calendar={calendar} paused={!!k.pausedSince} />
          )}
        </Descriptions.Item>
        {k.decision && (
          <Descriptions.Item label={t('staff.case.decision')} span={3}>
            {t(`staff.decision.${k.decision}`)}
            {k.decisionReason ? `：${k.decisionReason}` : ''}
          </Descriptions.Item>
        )}
      </Descriptions>

      <Card title={<h2 className="card-title">{t('staff.case.actions')}</h2>} className="staff-actions" size="small">
        {buttons.length === 0 ? (
          <p className="muted">{t('staff.case.noActions')}</p>
        ) : (
          <Space wrap role="group" aria-label={t('staff.case.actions')} data-testid="case-actions">
            {buttons.map((a) => (
              <Button
                key={a}
                type={a === 'refuse' || a === 'terminate' ? 'default' : 'primary'}
                danger={a === 'refuse' || a === 'terminate'}
                loading={act.isPending && act.variables?.action === a}
                onClick={() => click(a)}
              >
                {pick(actionLabel(a, 'department'), lang)}
              </Button>
            ))}
          </Space>
        )}
        {!dialog && <ProblemAlert error={act.error} />}
      </Card>

      <div className="staff-columns">
        <div>
          <Card title={<h2 className="card-title">{t('staff.case.data')}</h2>} size="small">
            {dataRows.length === 0 ? (
              <Empty description={t('staff.case.noData')} />
            ) : (
              <Descriptions size="small" column={1} bordered className="staff-data">
                {dataRows.map(([key, value]) => (
                  <Descriptions.Item
                    key={key}
                    label={splitTitle(field(key)?.title, lang) || <span className="mono">{key}</span>}
                  >
                    {(field(key)?.enum ? t(`enum.${value}`, { defaultValue: value }) : value) || '—'}
                  </Descriptions.Item>
                ))}
              </Descriptions>
            )}
          </Card>
          <Card title={<h2 className="card-title">{t('staff.case.materials')}</h2>} size="small">
            <ul className="staff-list">
              <MaterialItems materials={k.materials ?? []} onOpen={setViewing} />
              {(k.inputs ?? []).map((i, n) => (
                <li key={n}>
                  {t('staff.case.input', { type: String(i.certificateType ?? ''), number: String(i.number ?? '') })}
                </li>
              ))}
              {k.declaredGaps.map((m) => (
                <li key={`gap-${m}`}>{t('staff.case.declaredGap', { material: labelled(m) })}</li>
              ))}
              {k.toleratedGap && (
                <li>
                  {t('staff.case.toleratedGap', {
                    materials: k.toleratedGap.materials.map(labelled).join('、'),
                    date: k.toleratedGap.dueDate,
                    status: k.toleratedGap.status ?? '',
                  })}
                  <div className="muted">{k.toleratedGap.commitment}</div>
                </li>
              )}
              {(k.materials ?? []).length === 0 &&
                (k.inputs ?? []).length === 0 &&
                k.declaredGaps.length === 0 &&
                !k.toleratedGap && <li className="muted">{t('staff.case.noMaterials')}</li>}
            </ul>
          </Card>
          {k.corrections.length > 0 && (
            <Card title={<h2 className="card-title">{t('staff.case.corrections')}</h2>} size="small">
              {k.corrections.map((n) => (
                <div key={n.id} className="staff-notice">
                  <div>
                    {t('staff.case.noticeIssued', { date: n.issuedOn })} ·{' '}
                    {n.suppliedOn ? t('staff.case.noticeSupplied', { date: n.suppliedOn }) : t('staff.case.noticeOpen')}
                  </div>
                  <ol>
                    {n.problems.map((p, i) => (
                      <li key={i}>
                        {labelled(p.material)}：{p.problem}
                      </li>
                    ))}
                  </ol>
                  {n.note && <div className="muted">{n.note}</div>}
                </div>
              ))}
            </Card>
          )}
        </div>
        <Card title={<h2 className="card-title">{t('staff.case.history')}</h2>} size="small">
          <CaseTimeline events={k.history} audience="staff" />
        </Card>
      </div>

      <FileViewer caseId={k.id} file={viewing} onClose={() => setViewing(null)} />
      <ActionDialog
        kind={dialog}
        pending={act.isPending}
        error={act.error}
        materials={[...new Set([...(content?.materials.map((m) => m.id) ?? []), ...knownMaterials(k)])].map((id) => ({
          value: id,
          label: labelled(id),
        }))}
        declaredGaps={k.declaredGaps}
        onSubmit={run}
        onClose={() => setDialog(null)}
      />
    </div>
  );
}
