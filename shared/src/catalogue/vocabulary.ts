// The catalogue's fixed words as plain values, without zod: the web app imports these into its first-loaded
// pages, and this file keeps them from pulling the schemas (and zod) into that bundle.

/** 事项类型: the kinds of service item in the national catalogue standard. */
export const ITEM_TYPES = [
  'administrative_licensing', // 行政许可
  'administrative_confirmation', // 行政确认
  'administrative_payment', // 行政给付
  'administrative_award', // 行政奖励
  'administrative_ruling', // 行政裁决
  'administrative_filing', // 行政备案
  'other_administrative_power', // 其他行政权力
  'public_service', // 公共服务
] as const;

export const SERVICE_OBJECTS = ['person', 'enterprise'] as const;

/** Life-cycle stages of 国办发〔2025〕24号: ten for a person, six for an enterprise. */
export const PERSON_STAGES = [
  'birth',
  'education',
  'employment',
  'living',
  'housing',
  'travel',
  'medical',
  'assistance',
  'elderly',
  'after_death',
] as const;
export const ENTERPRISE_STAGES = ['market_entry', 'hiring', 'tax', 'operations', 'construction', 'exit'] as const;
export const STAGES = [...PERSON_STAGES, ...ENTERPRISE_STAGES] as const;

export const STAGE_NAMES: Record<(typeof STAGES)[number], { zh: string; en: string }> = {
  birth: { zh: '出生', en: 'Birth' },
  education: { zh: '教育', en: 'Education' },
  employment: { zh: '就业', en: 'Employment' },
  living: { zh: '生活', en: 'Daily life' },
  housing: { zh: '置业', en: 'Housing' },
  travel: { zh: '出行', en: 'Travel' },
  medical: { zh: '就医', en: 'Medical care' },
  assistance: { zh: '救助', en: 'Social assistance' },
  elderly: { zh: '养老', en: 'Old age' },
  after_death: { zh: '身后', en: 'After death' },
  market_entry: { zh: '准入准营', en: 'Market entry' },
  hiring: { zh: '招聘用工', en: 'Hiring' },
  tax: { zh: '纳税缴费', en: 'Taxes and fees' },
  operations: { zh: '经营发展', en: 'Operations and growth' },
  construction: { zh: '工程建设', en: 'Construction projects' },
  exit: { zh: '注销退出', en: 'Closing down' },
};

/** How an item's material is provided (one form of 申请材料). */
export const MATERIAL_FORMS = ['original', 'copy', 'electronic', 'data'] as const;

/** The process stages a service guide lists (受理, 审查, 决定, 办结 …; special: hearing, inspection …). */
export const PROCESS_STAGE_CODES = ['apply', 'accept', 'review', 'decide', 'conclude', 'deliver', 'special'] as const;
