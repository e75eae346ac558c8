/**
 * Who an incident can be given to (GET /api/v1/assignees: the people of the caller's
 * organisation who act on alerts), fetched once per page load and shared by every picker.
 */
import { useEffect, useState } from 'react';
import { get } from '../api/client';
import type { Response } from '../api/client';

export type Assignee = Response<'/api/v1/assignees', 'get'>['items'][number];

let pending: Promise<Assignee[]> | null = null;

export function loadAssignees(): Promise<Assignee[]> {
  pending ??= get('/api/v1/assignees').then(
    (r) => r.items,
    () => {
      pending = null; // try again next time (e.g. after a network error)
      return [];
    },
  );
  return pending;
}

/** The assignees, [] until loaded (or without the permission to act). */
export function useAssignees(enabled = true): Assignee[] {
  const [items, setItems] = useState<Assignee[]>([]);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    void loadAssignees().then((x) => live && setItems(x));
    return () => {
      live = false;
    };
  }, [enabled]);
  return items;
}

/** "Amina Otieno" for a known username, else the text as stored (a response unit). */
export function assigneeName(assignees: readonly Assignee[], who: string | null | undefined): string {
  if (!who) return '—';
  return assignees.find((a) => a.username === who || a.id === who)?.name ?? who;
}
