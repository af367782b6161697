-- SSO clients belong to a jurisdiction (GB/T 2260 code, 6, 9 or 12 digits, as staff jurisdictions): only
-- administrators whose jurisdiction contains it manage the client (docs/adr/0020). Clients registered before get
-- their department's province, else their registrar's, else the province most departments are in: the province
-- is the safe default, since then only its administrators manage them.
ALTER TABLE sso_clients ADD COLUMN jurisdiction text;

UPDATE sso_clients c SET jurisdiction = coalesce(
  (SELECT left(d.region_code, 2) || '0000' FROM departments d WHERE d.code = c.department_code),
  (SELECT left(a.jurisdiction, 2) || '0000' FROM accounts a WHERE a.id = c.created_by AND a.jurisdiction IS NOT NULL),
  (SELECT left(region_code, 2) || '0000' FROM departments GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1)
);

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM sso_clients WHERE jurisdiction IS NULL) THEN
    RAISE EXCEPTION 'sso_clients: no province can be derived for % client(s) without a department, registrar or any department on record; set sso_clients.jurisdiction by hand and migrate again',
      (SELECT count(*) FROM sso_clients WHERE jurisdiction IS NULL);
  END IF;
END $$;

ALTER TABLE sso_clients
  ALTER COLUMN jurisdiction SET NOT NULL,
  ADD CONSTRAINT sso_clients_jurisdiction_format CHECK (jurisdiction ~ '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$');
