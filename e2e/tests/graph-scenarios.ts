/**
 * The Graph SDK cells, shared by graph-standalone.spec.ts (the shell runs MSAL in the page) and
 * graph-extension.spec.ts (the shell gets its tokens from the extension's broker). The emulator's
 * request log is the oracle; each cell reads the entries since its own mark.
 */
import { expect, type Page } from "@playwright/test";
import type { EmulatorControl, RequestLogEntry } from "../kit/emulator/control-client.js";
import { fixtureCall, type OtherHost } from "../support/graph-stack.js";

export interface GraphCell {
  control: EmulatorControl;
  other: OtherHost;
  /** A fresh page (own storage) with the fixture loaded, signed in as `username`. */
  signedInPage(username: string): Promise<Page>;
  /** Interactive sign-in on `page` again, asking for `claims` (the user fills the login form). */
  signInAgain(page: Page, username: string, claims: string): Promise<void>;
}

const graphCalls = (entries: RequestLogEntry[], endpoint: string) => entries.filter((e) => e.endpoint === endpoint && e.method !== "OPTIONS");

/** graph-client + our provider reads /me; a 429 with Retry-After is retried by graph-client's RetryHandler after the wait. */
/** Each cell returns a line with the request counts it read from the log, for the run's output. */
export async function graphClientReadsMeAndWaitsOut429(cell: GraphCell): Promise<string> {
  const page = await cell.signedInPage("adele@contoso.test");
  const mark = await cell.control.lastSeq();
  expect(await fixtureCall(page, "graphClientMe")).toEqual({ ok: true, displayName: "Adele Vance" });
  const first = graphCalls(await cell.control.requests({ since: mark }), "me");
  expect(first.map((e) => e.status)).toEqual([200]);

  const retryAfterSeconds = 3;
  await cell.control.fault({ endpoint: "me", type: "status", status: 429, retryAfter: retryAfterSeconds, count: 1 });
  const before = await cell.control.lastSeq();
  expect(await fixtureCall(page, "graphClientMe")).toEqual({ ok: true, displayName: "Adele Vance" });
  const throttled = graphCalls(await cell.control.requests({ since: before }), "me");
  // One 429, then exactly one retry — by the SDK, after Retry-After: our provider adds no loop of its own.
  expect(throttled.map((e) => e.status)).toEqual([429, 200]);
  expect(throttled[1]!.time - throttled[0]!.time).toBeGreaterThanOrEqual(retryAfterSeconds * 1000);
  await page.context().close();
  return `graph-client /me: ${first.length} call(s); after a 429: ${throttled.map((e) => e.status).join(", ")}, ${throttled[1]!.time - throttled[0]!.time} ms apart`;
}

/**
 * Kiota + our provider after a CAE revocation: one claims re-acquisition, then interaction_required
 * with the claims; signing in with them makes the next Graph call succeed.
 */
export async function kiotaAnswersRevocationOnce(cell: GraphCell): Promise<string> {
  const page = await cell.signedInPage("adele@contoso.test");
  expect(await fixtureCall(page, "kiotaMe")).toEqual({ ok: true, displayName: "Adele Vance" });
  await cell.control.revoke("adele@contoso.test");
  const mark = await cell.control.lastSeq();
  const result = await fixtureCall(page, "kiotaMe");
  const entries = (await cell.control.requests({ since: mark })).filter((e) => e.method !== "OPTIONS");
  expect(result).toMatchObject({ ok: false, code: "interaction_required" });
  // The claims travel with the error, merged with cp1, so an interactive sign-in can ask for them.
  const claims = JSON.parse((result as { claims?: string }).claims ?? "null") as { access_token?: { nbf?: unknown; xms_cc?: { values?: string[] } } } | null;
  expect(claims?.access_token?.nbf).toBeDefined();
  expect(claims?.access_token?.xms_cc?.values).toContain("cp1");
  // The challenged call, one re-acquisition (refresh token refused: revoked), and no second Graph call.
  expect(graphCalls(entries, "me").map((e) => e.status)).toEqual([401]);
  expect(entries.filter((e) => e.endpoint === "token" && e.grantType === "refresh_token").map((e) => e.error)).toEqual(["invalid_grant"]);

  await cell.signInAgain(page, "adele@contoso.test", (result as { claims: string }).claims);
  const recovered = await cell.control.lastSeq();
  expect(await fixtureCall(page, "kiotaMe")).toEqual({ ok: true, displayName: "Adele Vance" });
  const after = (await cell.control.requests({ since: recovered })).filter((e) => e.method !== "OPTIONS");
  // The token from the new sign-in answers at once: one Graph call, nothing asked of the IdP.
  expect(after.map((e) => [e.endpoint, e.status])).toEqual([["me", 200]]);
  await page.context().close();
  const line = (list: typeof entries) => list.map((e) => `${e.endpoint}${e.grantType ? `/${e.grantType}` : ""}${e.prompt ? `/prompt=${e.prompt}` : ""}:${e.status}`).join(", ");
  return `Kiota after revoke: ${line(entries)}; after signing in with the claims: ${line(after)}`;
}

/** The overage user's groups come from one getMemberObjects call per session; a user whose groups fit causes none. */
export async function overageGroupsResolveOnce(cell: GraphCell): Promise<string> {
  const mark = await cell.control.lastSeq();
  const page = await cell.signedInPage("alex@contoso.test");
  await expect.poll(() => fixtureCall(page, "claims")).toEqual({ groupsOverage: true, groupsResolution: "resolved", groupCount: 250 });
  // Asking again, and calling Graph for other things, reuses the session's answer.
  expect(await fixtureCall(page, "resolveGroups")).toEqual({ ok: true, count: 250 });
  expect(await fixtureCall(page, "kiotaMe")).toEqual({ ok: true, displayName: "Alex Wilber" });
  expect(await fixtureCall(page, "resolveGroups")).toEqual({ ok: true, count: 250 });
  const overage = graphCalls(await cell.control.requests({ since: mark }), "member_objects");
  expect(overage.map((e) => [e.status, e.username])).toEqual([[200, "alex@contoso.test"]]);
  await page.context().close();

  const fitsMark = await cell.control.lastSeq();
  const adele = await cell.signedInPage("adele@contoso.test");
  expect(await fixtureCall(adele, "claims")).toEqual({ groupsOverage: false, groupCount: 3 });
  expect(await fixtureCall(adele, "resolveGroups")).toEqual({ ok: true, count: 3 });
  expect(await fixtureCall(adele, "graphClientMe")).toEqual({ ok: true, displayName: "Adele Vance" });
  const fitsEntries = await cell.control.requests({ since: fitsMark });
  expect(graphCalls(fitsEntries, "member_objects")).toEqual([]);
  await adele.context().close();
  return `overage: ${overage.length} getMemberObjects call(s) for alex; ${graphCalls(fitsEntries, "member_objects").length} for adele`;
}

/** Neither SDK attaches a token to a host outside the allow-list (the host's own record is the oracle). */
export async function noTokenForOtherHosts(cell: GraphCell): Promise<string> {
  const page = await cell.signedInPage("adele@contoso.test");
  cell.other.received.length = 0;
  expect(await fixtureCall(page, "graphClientOther")).toEqual({ ok: true, displayName: "Not Graph" });
  expect(await fixtureCall(page, "kiotaOther")).toEqual({ ok: true, displayName: "Not Graph" });
  const gets = cell.other.received.filter((r) => r.method === "GET");
  expect(gets).toHaveLength(2);
  expect(cell.other.received.filter((r) => r.headers.authorization !== undefined)).toEqual([]);
  // The same page does attach it to the allowed host, so the check above can fail.
  expect(await fixtureCall(page, "kiotaMe")).toEqual({ ok: true, displayName: "Adele Vance" });
  await page.context().close();
  return `other host: ${cell.other.received.length} request(s) (${gets.length} GET), ${cell.other.received.filter((r) => r.headers.authorization !== undefined).length} with Authorization`;
}
