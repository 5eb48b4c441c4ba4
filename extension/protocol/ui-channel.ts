/**
 * The UI ↔ worker channel (popup and options page → the extension's service worker), request and
 * response side by side. `UiMethods` maps each message kind to its request and its answer (in the
 * style of webext-messenger's MessengerMethods): the worker implements `UiHandlers`, the pages call
 * `callUi`, and the compiler checks both ends against the one map — no caller casts. Requests are
 * validated at runtime; every message gets exactly one `ChannelReply`.
 */
import * as v from "valibot";
import { AuthShellError, ERROR_CODES, type AuthShellErrorPlain } from "../../shared/errors.js";
import type { AccountView, ActivityEntry, ConfigView, Grant, ScopeQuestionView, StatusView } from "./views.js";
import type { BudgetFlag } from "../../shared/resilience/origin-budget.js";
import type { ExtensionEvent } from "../../shared/events.js";

const shortText = v.pipe(v.string(), v.maxLength(2048));

// Settings and grants are bounded strings here and validated field by field by the worker
// (shared/config/validate-settings.ts), so a bad value comes back as a sentence next to its field,
// never as "Malformed UI message at config.authority".
const formText = v.pipe(v.string(), v.maxLength(2048));
const formList = v.pipe(v.array(formText), v.maxLength(64));
const accountId = v.pipe(v.string(), v.minLength(1), v.maxLength(1024));

const BrokerConfigPlainSchema = v.object({
  authority: formText,
  clientId: formText,
  defaultScopes: v.union([formList, formText]),
  clientCapabilities: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(64))), v.maxLength(8))),
});

const GrantPlainSchema = v.object({
  origin: formText,
  /** Client IDs this origin may request tokens for; empty = the configured client. */
  clientIds: v.union([formList, formText]),
  /** Scopes this origin may request; absent or empty = the configured default scopes only. */
  scopes: v.optional(v.union([formList, formText])),
});

/** A filter of the activity record (views.ts ActivityQuery); 10,000 is the record's default bound. */
const ActivityQuerySchema = v.object({
  origin: v.optional(shortText),
  account: v.optional(shortText),
  since: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000))),
});

const UiMessageSchema = v.variant("kind", [
  v.object({ kind: v.literal("getStatus") }),
  /**
   * `addAccount`: "add another account" — the sign-in window opens with prompt=select_account.
   * `again`: "Sign in again" for the account `loginHint` names, whose session ended — the window opens
   * for it at once (its cached token must not answer).
   */
  v.object({ kind: v.literal("signIn"), loginHint: v.optional(shortText), addAccount: v.optional(v.boolean()), again: v.optional(v.boolean()) }),
  /** Signs out one account (default: the active one). */
  v.object({ kind: v.literal("signOut"), homeAccountId: v.optional(accountId) }),
  v.object({ kind: v.literal("switchAccount"), homeAccountId: accountId }),
  v.object({ kind: v.literal("listGrants") }),
  v.object({ kind: v.literal("addGrant"), grant: GrantPlainSchema }),
  v.object({ kind: v.literal("removeGrant"), origin: formText }),
  v.object({ kind: v.literal("getConfig") }),
  v.object({ kind: v.literal("setConfig"), config: BrokerConfigPlainSchema }),
  v.object({ kind: v.literal("checkRegistration") }),
  v.object({ kind: v.literal("getEvents"), limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000))) }),
  /** Sites over one of their per-origin budgets now or within the last minute (issue 22). */
  v.object({ kind: v.literal("getSiteFlags") }),
  /** Open questions: a site asked for scopes outside its grant (issue 22). */
  v.object({ kind: v.literal("getScopeQuestions") }),
  v.object({ kind: v.literal("answerScopeQuestion"), id: v.pipe(v.string(), v.minLength(1), v.maxLength(4096)), answer: v.picklist(["once", "always", "deny"]) }),
  v.object({ kind: v.literal("getActivity"), query: v.optional(ActivityQuerySchema) }),
  v.object({ kind: v.literal("getLastUse") }),
]);

type UiMessage = v.InferOutput<typeof UiMessageSchema>;
export type GrantPlain = v.InferOutput<typeof GrantPlainSchema>;
export type UiKind = UiMessage["kind"];
export type UiRequest<K extends UiKind = UiKind> = Extract<UiMessage, { kind: K }>;

/** Every UI method: its request (from the schema above) and its answer. */
type UiMethods = {
  [K in UiKind]: { request: UiRequest<K>; response: UiResponses[K] };
};

/** What the worker answers for each kind (token-free views only). */
export interface UiResponses {
  getStatus: StatusView;
  signIn: AccountView;
  signOut: { logoutUrl: string };
  switchAccount: AccountView[];
  listGrants: Grant[];
  addGrant: Grant[];
  removeGrant: Grant[];
  getConfig: ConfigView;
  setConfig: SavedConfigView;
  checkRegistration: RegistrationReport;
  getEvents: ExtensionEvent[];
  getSiteFlags: BudgetFlag[];
  getScopeQuestions: ScopeQuestionView[];
  /** `answered: false`: the question was no longer open (answered elsewhere, or timed out). */
  answerScopeQuestion: { answered: boolean };
  getActivity: ActivityView;
  /** Newest time each origin was served a token. */
  getLastUse: Record<string, number>;
}

/** The activity record's matching entries (newest first) and the bound it is kept within. */
interface ActivityView {
  entries: ActivityEntry[];
  bound: { maxDays: number; maxEntries: number };
}

/** What saving did: the normalised settings, notes per field, and what a changed authority or client ID undid. */
export interface SavedConfigView extends ConfigView {
  notes: Record<string, string>;
  signedOut: number;
  grantsUpdated: number;
}

/** The answer of "Check registration": one sentence, and the AADSTS code it was built from. */
export interface RegistrationReport {
  outcome: "ok" | "problem" | "unknown";
  sentence: string;
  aadsts?: number;
}

/** The worker's side: one handler per kind, each checked against UiMethods. */
export type UiHandlers = { [K in UiKind]: (request: UiMethods[K]["request"]) => Promise<UiMethods[K]["response"]> };

/** The envelope every answer travels in. */
export type ChannelReply<T> = { ok: true; value: T } | { ok: false; error: AuthShellErrorPlain };

function okReply<T>(value: T): ChannelReply<T> {
  return { ok: true, value };
}

export function errorReply(error: unknown): ChannelReply<never> {
  return { ok: false, error: AuthShellError.from(error).toPlain() };
}

function parseWith<S extends v.GenericSchema>(schema: S, input: unknown, what: string): v.InferOutput<S> | AuthShellError {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  const path = v.getDotPath(result.issues[0]) ?? "message";
  return new AuthShellError("invalid_request", `Malformed ${what} at ${path}`);
}

/** Validates a message from the popup / options page. */
function parseUiMessage(input: unknown): UiMessage | AuthShellError {
  return parseWith(UiMessageSchema, input, "UI message");
}

/** The worker's dispatcher: validates, routes to the kind's handler, and wraps the answer or error. */
export async function dispatchUi(handlers: UiHandlers, input: unknown): Promise<ChannelReply<UiResponses[UiKind]>> {
  const message = parseUiMessage(input);
  if (message instanceof AuthShellError) return errorReply(message);
  try {
    // The variant's kind selects the handler whose request type is exactly this message's.
    const handler = handlers[message.kind] as (request: UiMessage) => Promise<UiResponses[UiKind]>;
    return okReply(await handler(message));
  } catch (error) {
    return errorReply(error);
  }
}

const ErrorPlainSchema = v.object({
  name: v.literal("AuthShellError"),
  code: v.picklist(ERROR_CODES),
  message: v.string(),
  retryable: v.boolean(),
  retryAfterMs: v.optional(v.number()),
  claims: v.optional(v.string()),
  correlationId: v.optional(v.string()),
  idpError: v.optional(v.string()),
  idpErrorCode: v.optional(v.number()),
  suberror: v.optional(v.string()),
  fields: v.optional(v.record(v.string(), v.string())),
});

/**
 * Unwraps an answer on the receiving side: the value, or the AuthShellError thrown; an envelope of
 * the wrong shape becomes 'invalid_response'. The value is the worker's own (the sender is this
 * extension's service worker, which built it from UiResponses), so its type is taken from the map.
 */
function unwrapReply<T>(input: unknown): T {
  if (typeof input === "object" && input !== null) {
    const r = input as { ok?: unknown; value?: unknown; error?: unknown };
    if (r.ok === true && "value" in r) return r.value as T;
    if (r.ok === false) {
      const parsed = v.safeParse(ErrorPlainSchema, r.error);
      if (parsed.success) throw AuthShellError.fromPlain(parsed.output);
    }
  }
  throw new AuthShellError("invalid_response", "Malformed broker response");
}

/** The pages' side: sends one request through `send` (the extension runtime's sendMessage) and returns its typed answer. */
export async function callUi<K extends UiKind>(send: (message: UiRequest<K>) => Promise<unknown>, request: UiRequest<K>): Promise<UiResponses[K]> {
  return unwrapReply<UiResponses[K]>(await send(request));
}
