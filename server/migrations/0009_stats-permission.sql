-- The dashboards' figures (GET /api/v1/stats/cases) get a permission of their own instead of a list of roles in
-- the route: administrators and auditors, each within their jurisdiction, as before.
INSERT INTO permissions (code, scope, name_zh, name_en) VALUES
  ('stats.read', 'jurisdiction', '查看本辖区的运行监测统计', 'Read dashboard statistics within jurisdiction');

INSERT INTO role_permissions (role, permission) VALUES ('admin', 'stats.read'), ('auditor', 'stats.read');
