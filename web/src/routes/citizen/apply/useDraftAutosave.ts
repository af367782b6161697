// Drafts are saved as the applicant goes (debounced), so that they can stop and resume on any device.
// The draft is created on the first change, not on arrival: a visit that changes nothing leaves nothing.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Answers } from '@onething/shared/applications';
import { createDraft, saveDraft } from '../../../features/applications/api';
import { applicationsKeys } from '../../../features/applications/keys';

export interface DraftSnapshot {
  answers: Answers;
  form: Record<string, unknown>;
  materials: unknown[];
}

export type SaveState = { status: 'idle' | 'saving' | 'error' } | { status: 'saved'; at: Date };

const DEBOUNCE_MS = 1200;

export function useDraftAutosave(bundle: string, initialId: string | null, onCreated: (id: string) => void) {
  const qc = useQueryClient();
  const id = useRef(initialId);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const pending = useRef<DraftSnapshot | null>(null);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const closed = useRef(false);
  const [state, setState] = useState<SaveState>({ status: 'idle' });

  // Saves run one after another so that a slow request never overwrites a newer one.
  const run = useCallback(() => {
    chain.current = chain.current.then(async () => {
      const snap = pending.current;
      if (!snap || closed.current) return;
      pending.current = null;
      setState({ status: 'saving' });
      try {
        if (!id.current) {
          const d = await createDraft({ bundle, ...snap });
          id.current = d.id;
          onCreated(d.id);
          void qc.invalidateQueries({ queryKey: applicationsKeys.drafts() });
        } else {
          await saveDraft(id.current, snap);
        }
        setState({ status: 'saved', at: new Date() });
      } catch {
        setState({ status: 'error' });
      }
    });
    return chain.current;
  }, [bundle, onCreated, qc]);

  const schedule = useCallback(
    (snap: DraftSnapshot) => {
      if (closed.current) return;
      pending.current = snap;
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void run(), DEBOUNCE_MS);
    },
    [run],
  );

  const flush = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    return run();
  }, [run]);

  /** After submission the server deletes the draft: nothing more may be saved to it. */
  const close = useCallback(() => {
    closed.current = true;
    if (timer.current) clearTimeout(timer.current);
  }, []);

  /** A submission that failed leaves the draft in place: keep saving to it. */
  const reopen = useCallback(() => {
    closed.current = false;
  }, []);

  useEffect(
    () => () => {
      // Leaving the page keeps what was typed in the last second.
      if (timer.current) clearTimeout(timer.current);
      if (pending.current && !closed.current) void run();
    },
    [run],
  );

  return { state, schedule, flush, close, reopen, draftId: () => id.current };
}
