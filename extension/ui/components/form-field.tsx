import type { InputHTMLAttributes, Ref } from "react";

/**
 * One labelled input whose refusal is a sentence right under it: `aria-invalid` and
 * `aria-describedby` point at the sentence (and at the hint / note), so a screen reader reads the
 * reason with the field. The form's live region announces that something was refused.
 */
export function FormField({
  id,
  label,
  value,
  onValue,
  error,
  hint,
  note,
  testId,
  inputRef,
  ...rest
}: {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  error?: string | undefined;
  hint?: string | undefined;
  note?: string | undefined;
  testId: string;
  inputRef?: Ref<HTMLInputElement>;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "value" | "onChange">) {
  const described = [error ? `${id}-error` : "", hint ? `${id}-hint` : "", note ? `${id}-note` : ""].filter(Boolean).join(" ");
  return (
    <div className="field" style={{ display: "grid", gap: 2, marginBottom: 6 }}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={inputRef}
        data-testid={testId}
        value={value}
        onChange={(e) => onValue(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        spellCheck={false}
        autoComplete="off"
        {...rest}
      />
      {hint && (
        <span id={`${id}-hint`} className="muted">
          {hint}
        </span>
      )}
      {note && (
        <span id={`${id}-note`} className="muted" data-testid={`${testId}-note`}>
          {note}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="error" style={{ overflowWrap: "anywhere" }} data-testid={`${testId}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}
