-- The State Council's yearly lists of key "one things" (重点事项清单) that every province must deliver, as reference
-- data: the batches with their counts and sources, and the items whose names were found (domain brief §2). What a
-- source does not establish is marked as such: an item whose membership of its batch is not confirmed has
-- verified = false; `inferred` names the fields that are the project's inference (leadDepartment, audience); a
-- batch's count may itself be inferred. The province's own part (which bundle delivers an item, a target date, a
-- note) is edited in the console; the demo seed links the seeded bundles.
CREATE TABLE key_item_batches (
  id              text PRIMARY KEY,
  year            integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  position        integer NOT NULL,
  label_zh        text NOT NULL,
  label_en        text NOT NULL,
  issued          text,
  item_count      integer,
  count_inferred  boolean NOT NULL DEFAULT false,
  source_url      text NOT NULL,
  note_zh         text,
  note_en         text
);

CREATE TABLE key_items (
  id              text PRIMARY KEY,
  batch_id        text NOT NULL REFERENCES key_item_batches (id),
  position        integer NOT NULL,
  name_zh         text NOT NULL,
  name_en         text NOT NULL,
  audience        text NOT NULL CHECK (audience IN ('person', 'enterprise')),
  lead_department text,
  inferred        text[] NOT NULL DEFAULT '{}',
  verified        boolean NOT NULL,
  source_url      text NOT NULL,
  source_note_zh  text,
  source_note_en  text,
  bundle_code     text REFERENCES bundles (code),
  target_date     date,
  note            text,
  updated_at      timestamptz,
  updated_by      uuid REFERENCES accounts (id)
);
CREATE INDEX key_items_batch_idx ON key_items (batch_id, position);
CREATE INDEX key_items_bundle_idx ON key_items (bundle_code) WHERE bundle_code IS NOT NULL;

INSERT INTO key_item_batches (id, year, position, label_zh, label_en, issued, item_count, count_inferred, source_url, note_zh, note_en) VALUES
  ('2024-1', 2024, 1, '2024年第一批（国发〔2024〕3号附件）', '2024, first batch (annex to State Council document 2024 No. 3)', '2024-01', 13, false,
   'http://www.shizuishan.gov.cn/zwgk/zc/szfwj/zzf/202405/t20240516_4541212.html',
   '13项名单为常见引用版本，官方附件未取得；未经来源佐证的事项已标注。', 'The 13 names are the commonly cited list; the official annex was not retrieved. Items no source corroborates are marked.'),
  ('2024-2', 2024, 2, '2024年新一批', '2024, new batch', '2024-07', 8, false,
   'https://www.nmg.gov.cn/zwgk/zfxxgk/zfxxgkml/gzxzgfxwj/rlzyggfw/202405/W020240508520517839851/files/basic-html/index.html',
   '本批名单及牵头部门未取得，仅知共8项。', 'Only the count (8) is known; the names and lead departments were not retrieved.'),
  ('2025-1', 2025, 1, '2025年第一批', '2025, first batch', '2025', 12, false,
   'http://www.hn-credit.cn/news_show.aspx?id=2498',
   '本批名单及牵头部门未取得，仅知共12项。', 'Only the count (12) is known; the names and lead departments were not retrieved.'),
  ('2025-2', 2025, 2, '2025年第二批', '2025, second batch', '2025-07', 9, false,
   'http://www.hn-credit.cn/news_show.aspx?id=2498',
   '共9项，仅取得其中2项名称。', '9 items; only 2 of the names were found.'),
  ('first-33', 2025, 3, '前33项之一（批次未确认）', 'Among the first 33 (batch not identified)', NULL, NULL, false,
   'http://www.e6862.cn/detail/LMwVG9gnz2z',
   '来源称这些事项属于前三批共33项（2024年两批及2025年第一批），但未说明属于哪一批。', 'Sources name these among the first 33 items (the two 2024 batches and the 2025 first batch) without saying which batch.'),
  ('2026-1', 2026, 1, '2026年第一批', '2026, first batch', '2026-01-12', 13, true,
   'http://m.digipub.cc/dy/article/KJ6999090519DDQ2.html',
   '数量13为推断（“五批共55项”减去前四批42项），取得其中6项名称。', 'The count 13 is inferred (55 items in five batches less 42 in the first four); 6 of the names were found.');

INSERT INTO key_items (id, batch_id, position, name_zh, name_en, audience, lead_department, inferred, verified, source_url, source_note_zh, source_note_en) VALUES
  -- 2024 first batch: enterprise (7)
  ('2024-1-enterprise-change', '2024-1', 1, '企业信息变更', 'Enterprise information change', 'enterprise', '市场监管', '{leadDepartment}', false,
   'http://www.shizuishan.gov.cn/zwgk/zc/szfwj/zzf/202405/t20240516_4541212.html', '列入本批未经来源佐证。', 'Membership of this batch not corroborated by a source.'),
  ('2024-1-restaurant', '2024-1', 2, '开办餐饮店', 'Opening a restaurant', 'enterprise', '市场监管', '{leadDepartment}', true,
   'http://f.tikuw.cn/f/item?id=1833857799232056', '某省流程再造方案将其列为“国发清单事项”。', 'A provincial re-engineering plan lists it as a State Council list item.'),
  ('2024-1-transport', '2024-1', 3, '开办运输企业', 'Opening a transport enterprise', 'enterprise', NULL, '{}', false,
   'http://www.shizuishan.gov.cn/zwgk/zc/szfwj/zzf/202405/t20240516_4541212.html', '列入本批未经来源佐证。', 'Membership of this batch not corroborated by a source.'),
  ('2024-1-hiring', '2024-1', 4, '员工录用', 'Employee hiring', 'enterprise', '人力资源社会保障', '{leadDepartment}', true,
   'https://github.com/RyioGo/RGClassTV', '见于一个公开政务服务前端的一件事名称（src/static/data/list.ts）。', 'Appears as a bundle name in a public government-service front-end (src/static/data/list.ts).'),
  ('2024-1-real-estate', '2024-1', 5, '涉企不动产登记', 'Real-estate registration for enterprises', 'enterprise', NULL, '{}', true,
   'https://github.com/RyioGo/RGClassTV', '见于一个公开政务服务前端的一件事名称（src/static/data/list.ts）。', 'Appears as a bundle name in a public government-service front-end (src/static/data/list.ts).'),
  ('2024-1-bankruptcy', '2024-1', 6, '企业破产信息核查', 'Enterprise bankruptcy information check', 'enterprise', '政务服务管理', '{leadDepartment}', false,
   'http://www.shizuishan.gov.cn/zwgk/zc/szfwj/zzf/202405/t20240516_4541212.html', '列入本批未经来源佐证；牵头部门取自北京做法。', 'Membership not corroborated; the lead department follows the Beijing model.'),
  ('2024-1-credit-repair', '2024-1', 7, '信用修复', 'Credit repair', 'enterprise', '发展改革（信用主管部门）', '{leadDepartment}', false,
   'http://www.shizuishan.gov.cn/zwgk/zc/szfwj/zzf/202405/t20240516_4541212.html', '列入本批未经来源佐证。', 'Membership of this batch not corroborated by a source.'),
  -- 2024 first batch: person (6)
  ('2024-1-newborn', '2024-1', 8, '新生儿出生', 'Newborn birth', 'person', '卫生健康', '{leadDepartment}', true,
   'http://w.cy-xc.org.cn/show-97294.html', '各省作为国务院确定事项实施（如安徽）。', 'Provinces implement it as a State Council item (Anhui, for example).'),
  ('2024-1-school', '2024-1', 9, '教育入学', 'School enrolment', 'person', '教育', '{leadDepartment}', true,
   'http://big5.www.gov.cn/gate/big5/www.gov.cn/yaowen/liebiao/202407/content_6963851.htm', '中国政府网：被列入首批13个重点事项之一。', 'gov.cn: listed among the first 13 key items.'),
  ('2024-1-social-card', '2024-1', 10, '社会保障卡居民服务', 'Social security card resident services', 'person', '人力资源社会保障', '{}', false,
   'http://www.shizuishan.gov.cn/zwgk/zc/szfwj/zzf/202405/t20240516_4541212.html', '列入本批未经来源佐证。', 'Membership of this batch not corroborated by a source.'),
  ('2024-1-disability', '2024-1', 11, '残疾人服务', 'Services for people with disabilities', 'person', NULL, '{}', false,
   'http://www.shizuishan.gov.cn/zwgk/zc/szfwj/zzf/202405/t20240516_4541212.html', '列入本批未经来源佐证。', 'Membership of this batch not corroborated by a source.'),
  ('2024-1-retirement', '2024-1', 12, '退休', 'Retirement', 'person', '人力资源社会保障', '{leadDepartment}', false,
   'http://www.shizuishan.gov.cn/zwgk/zc/szfwj/zzf/202405/t20240516_4541212.html', '列入本批未经来源佐证。', 'Membership of this batch not corroborated by a source.'),
  ('2024-1-housing-transfer', '2024-1', 13, '二手房转移登记及水电气网联合过户', 'Second-hand housing transfer with joint utility transfer', 'person', '自然资源（不动产登记）', '{leadDepartment}', false,
   'http://www.shizuishan.gov.cn/zwgk/zc/szfwj/zzf/202405/t20240516_4541212.html', '列入本批未经来源佐证。', 'Membership of this batch not corroborated by a source.'),
  -- 2025 second batch: the two names found
  ('2025-2-credit-report', '2025-2', 1, '征信信息查询', 'Credit report enquiry', 'person', '人民银行', '{audience}', true,
   'http://www.hn-credit.cn/news_show.aspx?id=2498', NULL, NULL),
  ('2025-2-tax-credit', '2025-2', 2, '纳税信用级别依授权查询', 'Tax credit rating enquiry by authorisation', 'enterprise', '税务', '{audience}', true,
   'http://www.hn-credit.cn/news_show.aspx?id=2498', NULL, NULL),
  -- Named among the first 33, batch not known
  ('first33-relocation', 'first-33', 1, '企业迁移', 'Enterprise relocation', 'enterprise', NULL, '{}', true,
   'http://www.e6862.cn/detail/LMwVG9gnz2z', '所属批次未确认。', 'Batch not identified.'),
  ('first33-provident-loan', 'first-33', 2, '住房公积金贷款', 'Housing provident fund loan', 'person', NULL, '{}', true,
   'http://www.e6862.cn/detail/LMwVG9gnz2z', '所属批次未确认。', 'Batch not identified.'),
  ('first33-trade-in', 'first-33', 3, '“以旧换新”补贴申请', 'Trade-in subsidy application', 'person', NULL, '{audience}', true,
   'http://www.e6862.cn/detail/LMwVG9gnz2z', '所属批次未确认。', 'Batch not identified.'),
  ('first33-after-death', 'first-33', 4, '个人身后', 'After-death affairs', 'person', NULL, '{}', true,
   'http://dpxdtro.cn/article/zaixiandubao/14111.html', '所属批次未确认；牵头部门未取得。', 'Batch not identified; lead department not found.'),
  -- 2026 first batch: the six names found
  ('2026-1-tech-enterprise', '2026-1', 1, '科技型企业创新政策扶持', 'Innovation policy support for technology enterprises', 'enterprise', NULL, '{audience}', true,
   'http://m.digipub.cc/dy/article/KJ6999090519DDQ2.html', NULL, NULL),
  ('2026-1-ip-protection', '2026-1', 2, '知识产权保护', 'Intellectual property protection', 'enterprise', NULL, '{audience}', true,
   'http://m.digipub.cc/dy/article/KJ6999090519DDQ2.html', NULL, NULL),
  ('2026-1-sports-events', '2026-1', 3, '举办体育赛事活动', 'Holding sports events', 'enterprise', NULL, '{audience}', true,
   'http://m.digipub.cc/dy/article/KJ6999090519DDQ2.html', NULL, NULL),
  ('2026-1-childcare-subsidy', '2026-1', 4, '育儿补贴申领', 'Childcare subsidy application', 'person', NULL, '{audience}', true,
   'http://m.digipub.cc/dy/article/KJ6999090519DDQ2.html', NULL, NULL),
  ('2026-1-flexible-insurance', '2026-1', 5, '灵活就业参保', 'Social insurance for flexible workers', 'person', NULL, '{audience}', true,
   'http://m.digipub.cc/dy/article/KJ6999090519DDQ2.html', NULL, NULL),
  ('2026-1-elderly-subsidy', '2026-1', 6, '老年人福利补贴申请', 'Welfare subsidy for older people', 'person', NULL, '{audience}', true,
   'http://m.digipub.cc/dy/article/KJ6999090519DDQ2.html', NULL, NULL);
