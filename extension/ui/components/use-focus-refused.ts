import { useEffect, useRef, type RefObject } from "react";

/**
 * After a refused save, focus leaves the Save button for the form's first refused field
 * (`aria-invalid`), whose sentence (`aria-describedby`) is read with it. Call the returned function
 * where the refusal's errors are set; focus moves once they have rendered.
 */
export function useFocusRefused(form: RefObject<HTMLFormElement | null>, errors: unknown): () => void {
  const pending = useRef(false);
  useEffect(() => {
    if (!pending.current) return;
    pending.current = false;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors, form]);
  return () => {
    pending.current = true;
  };
}
