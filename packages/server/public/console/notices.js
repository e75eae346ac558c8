// Toasts for errors and confirmations, and a screen-reader announcer for urgent news.

import { h } from './dom.js';

const TOAST_MS = 7000;

/** Shows a short message; `kind` 'error' stays longer and is announced assertively. */
export function toast(message, kind = 'info') {
  const box = document.getElementById('toasts');
  const close = h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss', text: '×' });
  const el = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, h('span', { text: message }), close);
  const remove = () => el.remove();
  close.addEventListener('click', remove);
  box.append(el);
  while (box.children.length > 4) box.firstElementChild.remove();
  setTimeout(remove, kind === 'error' ? TOAST_MS * 2 : TOAST_MS);
}

/** Reads a message out in screen readers without showing it. */
export function announce(message) {
  const el = document.getElementById('announcer');
  el.textContent = '';
  // a fresh text node after clearing makes screen readers speak repeated messages too
  setTimeout(() => {
    el.textContent = message;
  }, 50);
}
