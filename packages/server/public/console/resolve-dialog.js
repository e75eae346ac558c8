// The small dialog that asks how an alert ends: outcome (confirmed | false_alarm) and a comment.

import { label } from './format.js';

/** Resolves to { outcome, comment }, or null when the operator cancels. */
export function askResolution(alert, reference) {
  const dialog = document.getElementById('resolve-dialog');
  const form = document.getElementById('resolve-form');
  const summary = document.getElementById('resolve-summary');
  const cancel = document.getElementById('resolve-cancel');
  const comment = document.getElementById('resolve-comment');
  form.reset();
  summary.textContent = `${alert.severity} · ${label(alert.type)} · ${reference}${alert.device ? ` · ${alert.device}` : ''}`;
  return new Promise((resolve) => {
    const finish = (value) => {
      form.removeEventListener('submit', handleSubmit);
      cancel.removeEventListener('click', handleCancel);
      dialog.removeEventListener('close', handleClose);
      if (dialog.open) dialog.close();
      resolve(value);
    };
    const handleSubmit = (e) => {
      e.preventDefault();
      const data = new FormData(form);
      const text = String(data.get('comment') ?? '').trim();
      if (!text) {
        comment.setCustomValidity('A comment is required.');
        comment.reportValidity();
        comment.setCustomValidity('');
        return;
      }
      finish({ outcome: String(data.get('outcome')), comment: text });
    };
    const handleCancel = () => finish(null);
    const handleClose = () => finish(null); // Escape
    form.addEventListener('submit', handleSubmit);
    cancel.addEventListener('click', handleCancel);
    dialog.addEventListener('close', handleClose);
    dialog.showModal();
    form.querySelector('input[name="outcome"]')?.focus();
  });
}
