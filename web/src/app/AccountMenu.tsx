// The account menu: a disclosure button and a short list of links, written by hand because antd's
// Dropdown brings its menu and popup machinery into the home page's first download.
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '@onething/shared/identity';
import { hasRole } from '../features/identity/api';

export function AccountMenu({
  account,
  onChoose,
}: {
  account: Me;
  onChoose(key: 'me' | 'act' | 'staff' | 'admin' | 'logout'): void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | FocusEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('focusin', close);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('focusin', close);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const items: Array<{ key: 'me' | 'act' | 'staff' | 'admin' | 'logout'; label: string }> = [
    ...(hasRole(account, ['applicant', 'enterprise_agent'])
      ? [
          { key: 'me' as const, label: t('nav.myThings') },
          { key: 'act' as const, label: t('nav.actAs') },
        ]
      : []),
    ...(hasRole(account, ['reviewer', 'window_staff']) ? [{ key: 'staff' as const, label: t('nav.staff') }] : []),
    ...(hasRole(account, ['admin']) ? [{ key: 'admin' as const, label: t('nav.admin') }] : []),
    { key: 'logout', label: t('nav.logout') },
  ];
  const name = account.actingFor?.name ?? account.displayName;

  return (
    <div className="account-menu" ref={root}>
      <button
        ref={button}
        type="button"
        className="tool-button"
        aria-expanded={open}
        aria-controls={id}
        aria-label={t('nav.accountMenu', { name })}
        onClick={() => setOpen(!open)}
      >
        {name} <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <ul id={id} className="account-list">
          {items.map((i) => (
            <li key={i.key}>
              <button
                type="button"
                onClick={() => {
                  setOpen(false);
                  onChoose(i.key);
                }}
              >
                {i.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
