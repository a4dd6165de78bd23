/** The console's one modal dialog, for every confirmation. */
import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A modal dialog: focus starts on the safe choice (the first focusable element, Cancel by convention), Tab stays
 * inside, Esc closes, and focus returns to what opened it.
 */
export function Dialog({
  title,
  children,
  onClose,
  danger = true,
}: {
  title: string;
  children: ReactNode;
  onClose: () => void;
  danger?: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const focusables = () =>
      [
        ...(box.current?.querySelectorAll<HTMLElement>('button, input, a[href], select, textarea, [tabindex]') ?? []),
      ].filter((el) => !el.hasAttribute('disabled') && el.tabIndex >= 0);
    focusables()[0]?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        close.current();
        return;
      }
      if (e.key !== 'Tab') return;
      const els = focusables();
      if (els.length === 0) return;
      const first = els[0];
      const last = els[els.length - 1];
      const active = document.activeElement;
      if (e.shiftKey && (active === first || !box.current?.contains(active))) {
        e.preventDefault();
        last?.focus();
      } else if (!e.shiftKey && (active === last || !box.current?.contains(active))) {
        e.preventDefault();
        first?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      opener?.focus?.();
    };
  }, []);
  return (
    <div className="backdrop" onClick={onClose}>
      <div
        ref={box}
        className={`modal${danger ? ' modal-danger' : ''}`}
        role={danger ? 'alertdialog' : 'dialog'}
        aria-modal="true"
        aria-labelledby="dialog-title"
        aria-describedby="dialog-body"
        onClick={(e) => e.stopPropagation()}
      >
        <h2 id="dialog-title">{title}</h2>
        <div id="dialog-body">{children}</div>
      </div>
    </div>
  );
}
