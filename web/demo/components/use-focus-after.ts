import { useCallback, useEffect, useState, type RefObject } from "react";

/**
 * Keyboard focus for actions that replace the control that started them (Sign in becomes Sign out
 * and back): React removes the pressed button, focus falls to <body>, and the next Tab starts again
 * from the top of the page while a screen reader announces nothing useful. `focusAfter(ref)` moves
 * focus to `ref` once the render it causes is on screen — but only if focus was lost that way, so a
 * user who moved on while the action ran keeps their place.
 */
export function useFocusAfter(): (target: RefObject<HTMLElement | null>) => void {
  // A new object per request: state, not a ref, so the request itself causes the render that serves it.
  const [request, setRequest] = useState<{ target: RefObject<HTMLElement | null> } | null>(null);
  useEffect(() => {
    const target = request?.target.current;
    const active = document.activeElement;
    if (target && (active === null || active === document.body)) target.focus();
  }, [request]);
  return useCallback((target) => setRequest({ target }), []);
}
