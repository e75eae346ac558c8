/** Toasts for confirmations and errors, and a hidden live region that screen readers speak. */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';

interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
}
interface Notices {
  toast(text: string, kind?: 'info' | 'error'): void;
  announce(text: string): void;
}

const NoticesContext = createContext<Notices>({ toast: () => {}, announce: () => {} });
export const useNotices = () => useContext(NoticesContext);

export function NoticesProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [spoken, setSpoken] = useState('');
  const next = useRef(1);
  const toast = useCallback((text: string, kind: 'info' | 'error' = 'info') => {
    const id = next.current++;
    setToasts((ts) => [...ts.slice(-3), { id, text, kind }]);
    setTimeout(() => setToasts((ts) => ts.filter((x) => x.id !== id)), kind === 'error' ? 14_000 : 7000);
  }, []);
  const announce = useCallback((text: string) => {
    setSpoken('');
    // a fresh text after clearing makes screen readers speak repeated messages too
    setTimeout(() => setSpoken(text), 50);
  }, []);
  const value = useMemo(() => ({ toast, announce }), [toast, announce]);
  return (
    <NoticesContext.Provider value={value}>
      {children}
      <div className="toasts" aria-live="polite">
        {toasts.map((x) => (
          <div key={x.id} className={`toast ${x.kind}`} role={x.kind === 'error' ? 'alert' : 'status'}>
            <span>{x.text}</span>
            <button type="button" className="toast-close" aria-label="×" onClick={() => setToasts((ts) => ts.filter((y) => y.id !== x.id))}>
              ×
            </button>
          </div>
        ))}
      </div>
      <div className="visually-hidden" aria-live="assertive">
        {spoken}
      </div>
    </NoticesContext.Provider>
  );
}
