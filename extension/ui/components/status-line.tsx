/** What a panel's last action came to, in one sentence: an error, or a plain outcome. */
export interface PanelMessage {
  text: string;
  error: boolean;
}

/**
 * A panel's live region (`role="status"`): always rendered, so a screen reader announces each new
 * outcome, including the first. Errors show in the error style, anything else muted. `inline` renders
 * a span for a line that sits beside a button, not under it. `fallback` is what it shows while there is
 * no message.
 */
export function StatusLine({ testId, message, fallback = "", inline = false }: { testId: string; message: PanelMessage | undefined; fallback?: string; inline?: boolean }) {
  const Line = inline ? "span" : "p";
  return (
    <Line role="status" data-testid={testId} className={message?.error ? "error" : "muted"}>
      {message?.text ?? fallback}
    </Line>
  );
}
