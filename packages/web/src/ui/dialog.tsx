/** A modal dialog on the native <dialog> element: focus trap, Escape to close, labelled by its heading. */
import { useEffect, useId, useRef, type ReactNode } from 'react';

export function Dialog({ title, open, onClose, children }: { title: string; open: boolean; onClose(): void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  useEffect(() => {
    const d = ref.current!;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={headingId} onClose={onClose} onCancel={onClose}>
      {open && (
        <>
          <h2 id={headingId}>{title}</h2>
          {children}
        </>
      )}
    </dialog>
  );
}
