/** Files the console downloads from the API (trip reports, exchange documents, evidence) with its own credentials. */
import { problemOf } from './client';
import { authHeaders } from '../auth/credentials';

/** Saves a blob under `name` through a temporary link (no new window, nothing kept in memory after). */
export function save(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Opens or saves an API file with the console's credentials (the admin token of the #token= link travels in a header, not the URL). */
export async function fetchFile(url: string): Promise<Blob> {
  const res = await fetch(url, { headers: authHeaders('GET', {}), credentials: 'same-origin', cache: 'no-store' });
  if (!res.ok) throw await problemOf(res);
  return res.blob();
}
