import { describe, expect, it } from "vitest";
import type { KeyValueStore } from "../ports.js";
import { MemoryStore } from "../storage/memory-store.js";
import type { AccessTokenEntry, AccountEntry } from "./cache-entries.js";
import { claimsHash } from "./cache-key.js";
import { TokenCache } from "./token-cache.js";

const A = "https://idp.test/t";
const account = (home = "u.t"): AccountEntry => ({
  homeAccountId: home,
  environment: "idp.test",
  tenantId: "t",
  localAccountId: "u",
  username: `${home}@x`,
  authority: A,
  lastSignInAt: 1,
});
const at = (scopes: string[], extra: Partial<AccessTokenEntry> = {}): AccessTokenEntry => ({
  homeAccountId: "u.t",
  authority: A,
  clientId: "c",
  scopes,
  claimsHash: "",
  secret: `secret-${scopes.join("+")}`,
  cachedAt: 0,
  expiresOn: 3_600_000,
  extExpiresOn: 3_600_000,
  refreshOn: 1_800_000,
  ...extra,
});
const q = (scopes: string[], claims = "") => ({ homeAccountId: "u.t", authority: A, clientId: "C", scopes, claimsHash: claims });
const rt = (secret: string) => ({ homeAccountId: "u.t", authority: A, clientId: "c", secret, cachedAt: 0 });

describe("TokenCache", () => {
  it("finds an entry whose scopes cover the request (reserved scopes ignored), and persists it", async () => {
    const store = new MemoryStore();
    const cache = new TokenCache(store);
    await cache.load();
    await cache.save({ account: account(), accessToken: at(["mail.read", "user.read"]), refreshToken: rt("R1") });
    expect(cache.findAccessToken(q(["User.Read", "openid"]))?.secret).toBe("secret-mail.read+user.read");
    expect(cache.findAccessToken(q(["Files.Read"]))).toBeUndefined();
    expect(cache.findAccessToken({ ...q(["user.read"]), homeAccountId: "other" })).toBeUndefined();

    const reloaded = new TokenCache(store);
    await reloaded.load();
    expect(reloaded.findAccessToken(q(["mail.read"]))?.secret).toBe("secret-mail.read+user.read");
    expect(reloaded.getRefreshToken("u.t", A, "c")?.secret).toBe("R1");
    expect(reloaded.getAccounts().map((a) => a.homeAccountId)).toEqual(["u.t"]);
  });

  it("keeps claims-bound tokens in their own partition", async () => {
    const cache = new TokenCache(new MemoryStore());
    const h = claimsHash('{"access_token":{"nbf":1}}');
    expect(h).not.toBe("");
    expect(claimsHash(undefined)).toBe("");
    await cache.save({ account: account(), accessToken: at(["user.read"], { claimsHash: h }) });
    expect(cache.findAccessToken(q(["user.read"]))).toBeUndefined();
    expect(cache.findAccessToken(q(["user.read"], h))?.claimsHash).toBe(h);
  });

  it("a new token replaces older tokens of the same family whose scopes intersect", async () => {
    const store = new MemoryStore();
    const cache = new TokenCache(store);
    await cache.save({ account: account(), accessToken: at(["user.read"], { secret: "old" }) });
    await cache.save({ account: account(), accessToken: at(["api://x/a"], { secret: "other-resource" }) });
    await cache.save({ account: account(), accessToken: at(["mail.read", "user.read"], { secret: "new" }) });
    expect(cache.allAccessTokens().map((e) => e.secret).sort()).toEqual(["new", "other-resource"]);
    expect((await store.entries("at:")).length).toBe(2);
  });

  it("the latest token of a resource wins, even when narrower", async () => {
    const cache = new TokenCache(new MemoryStore());
    await cache.save({ account: account(), accessToken: at(["api://a/x"], { expiresOn: 10 }) });
    await cache.save({ account: account(), accessToken: at(["api://b/x", "api://b/y"], { expiresOn: 20 }) });
    await cache.save({ account: account(), accessToken: at(["api://b/x"], { expiresOn: 5, clientId: "c", secret: "short" }) });
    expect(cache.findAccessToken(q(["api://b/x"]))?.secret).toBe("short");
  });

  it("reloadFamily picks up a refresh token rotated by another context", async () => {
    const store = new MemoryStore();
    const mine = new TokenCache(store);
    const theirs = new TokenCache(store);
    await mine.save({ account: account(), accessToken: at(["user.read"], { secret: "a1" }), refreshToken: rt("R1") });
    await theirs.load();
    await theirs.save({ account: account(), accessToken: at(["user.read"], { secret: "a2" }), refreshToken: rt("R2") });
    expect(mine.getRefreshToken("u.t", A, "c")?.secret).toBe("R1");
    expect((await mine.reloadFamily("u.t", A, "c"))?.secret).toBe("R2");
    expect(mine.findAccessToken(q(["user.read"]))?.secret).toBe("a2");
    await theirs.removeRefreshToken("u.t", A, "c");
    expect(await mine.reloadFamily("u.t", A, "c")).toBeUndefined();
  });

  it("removeAccount deletes the account and everything it owns, leaving others", async () => {
    const store = new MemoryStore();
    const cache = new TokenCache(store);
    await cache.save({
      account: account(),
      accessToken: at(["user.read"]),
      refreshToken: rt("R1"),
      idToken: { homeAccountId: "u.t", authority: A, clientId: "c", secret: "idt", claims: {}, cachedAt: 0 },
    });
    await cache.save({ account: account("v.t"), accessToken: at(["user.read"], { homeAccountId: "v.t" }) });
    await cache.removeAccount("u.t");
    expect(cache.getAccount("u.t")).toBeUndefined();
    expect(cache.getIdToken("u.t", A, "c")).toBeUndefined();
    expect(cache.getRefreshToken("u.t", A, "c")).toBeUndefined();
    expect(cache.allAccessTokens().map((e) => e.homeAccountId)).toEqual(["v.t"]);
    // u.t signed in first and was active: the remaining account is active now.
    expect((await store.entries("")).map(([k]) => k.split(":")[0])).toEqual(["acct", "active-account", "at"]);
    expect(await store.get("active-account")).toBe("v.t");
    expect(cache.getActiveAccount()?.homeAccountId).toBe("v.t");
  });

  it("keeps the active account: the first saved, a switch, the fallback for older caches", async () => {
    const store = new MemoryStore();
    await store.set("acct:old", { ...account("old.t"), lastSignInAt: 5 });
    const older = new TokenCache(store);
    await older.load();
    expect(older.getActiveAccount()?.homeAccountId).toBe("old.t"); // written before there was an active account
    const cache = new TokenCache(new MemoryStore());
    await cache.load();
    expect(cache.getActiveAccount()).toBeUndefined();
    await cache.save({ account: account("u.t"), accessToken: at(["user.read"]) });
    await cache.save({ account: { ...account("v.t"), lastSignInAt: 9 }, accessToken: at(["user.read"], { homeAccountId: "v.t" }) });
    expect(cache.getActiveAccount()?.homeAccountId).toBe("u.t");
    await cache.setActiveAccount("v.t");
    expect(cache.getActiveAccount()?.homeAccountId).toBe("v.t");
    await expect(cache.setActiveAccount("w.t")).rejects.toMatchObject({ code: "no_account" });
    await cache.removeAccount("u.t"); // not the active one
    expect(cache.getActiveAccount()?.homeAccountId).toBe("v.t");
    await cache.removeAccount("v.t");
    expect(cache.getActiveAccount()).toBeUndefined();
  });

  it("summaries carry no token values", async () => {
    const cache = new TokenCache(new MemoryStore());
    await cache.save({ account: account(), accessToken: at(["user.read"]), refreshToken: rt("R-secret") });
    const text = JSON.stringify(cache.summaries());
    expect(cache.summaries()[0]).toMatchObject({ scopes: ["user.read"], hasRefreshToken: true, claimsBound: false });
    expect(text).not.toContain("secret");
  });

  it("reports store failures as storage_error and can retry the load", async () => {
    let fail = true;
    const store = new MemoryStore();
    const flaky: KeyValueStore = Object.assign(Object.create(store) as KeyValueStore, {
      entries: (p: string) => (fail ? Promise.reject(new Error("disk")) : store.entries(p)),
      batch: () => Promise.reject(new Error("disk")),
    });
    const cache = new TokenCache(flaky);
    await expect(cache.load()).rejects.toMatchObject({ code: "storage_error" });
    fail = false;
    await expect(cache.load()).resolves.toBeUndefined();
    await expect(cache.save({ account: account(), accessToken: at(["x"]) })).rejects.toMatchObject({ code: "storage_error" });
    expect(cache.allAccessTokens()).toEqual([]);
  });
});
