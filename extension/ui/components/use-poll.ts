import { useCallback, useEffect, useState } from "react";
import { errorText } from "../broker-client.js";

/** Loads a value now and every `intervalMs` while mounted; `reload()` refreshes at once. */
export function usePoll<T>(load: () => Promise<T>, intervalMs = 1000): { value?: T; error?: string; reload: () => void } {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState<string>();
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    let alive = true;
    const run = () =>
      load().then(
        (v) => alive && (setValue(v), setError(undefined)),
        (e: unknown) => alive && setError(errorText(e)),
      );
    void run();
    const timer = setInterval(run, intervalMs);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [tick, intervalMs]);
  return { value, error, reload };
}

/** navigator.onLine, kept current by the window's online/offline events. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    return () => {
      window.removeEventListener("online", update);
      window.removeEventListener("offline", update);
    };
  }, []);
  return online;
}
