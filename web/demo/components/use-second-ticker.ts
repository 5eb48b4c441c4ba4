import { useEffect, useState } from "react";

/** Re-renders the caller once a second while `active` (countdowns of waits). */
export function useSecondTicker(active: boolean): void {
  const [, tick] = useState(0);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [active]);
}
