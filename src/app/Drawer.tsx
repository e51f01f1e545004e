/**
 * The controls' home on a small screen and in the present layout: a panel that slides in
 * from the left over the figures, opened from a header button. On a wide screen the same
 * element is the sidebar column and the drawer parts (toggle, close button, backdrop)
 * are not rendered, so the controls are mounted once and keep their state either way.
 */
import { useEffect, useRef, type ReactNode, type RefObject } from 'react';

export const DRAWER_ID = 'controls-drawer';

interface DrawerToggleProps {
  open: boolean;
  onToggle: () => void;
  buttonRef: RefObject<HTMLButtonElement | null>;
}

export function DrawerToggle({ open, onToggle, buttonRef }: DrawerToggleProps) {
  return (
    <button type="button" ref={buttonRef} className="drawer-toggle" data-testid="drawer-toggle" aria-expanded={open} aria-controls={DRAWER_ID} onClick={onToggle}>
      <span aria-hidden="true">☰</span> Controls
    </button>
  );
}

interface DrawerProps {
  /** Folded away behind a toggle (small screen or present layout); false: the sidebar column. */
  folded: boolean;
  open: boolean;
  onClose: () => void;
  children: ReactNode;
}

export function Drawer({ folded, open, onClose, children }: DrawerProps) {
  const closeRef = useRef<HTMLButtonElement | null>(null);
  const shown = folded && open;
  useEffect(() => {
    if (!shown) return undefined;
    // The first thing a keyboard user meets in a just-opened drawer is the way out.
    closeRef.current?.focus();
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      event.preventDefault();
      onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [shown, onClose]);

  return (
    <>
      {shown && <div className="drawer-backdrop" data-testid="drawer-backdrop" aria-hidden="true" onClick={onClose} />}
      <section id={DRAWER_ID} className={folded ? 'sidebar sidebar-drawer' : 'sidebar'} data-open={folded ? String(open) : undefined} data-testid="controls-drawer" aria-label="Controls">
        {folded && (
          <div className="drawer-head">
            <span className="drawer-title">Controls</span>
            <button type="button" ref={closeRef} className="drawer-close" data-testid="drawer-close" onClick={onClose} aria-label="Close controls">
              ×
            </button>
          </div>
        )}
        {children}
      </section>
    </>
  );
}
