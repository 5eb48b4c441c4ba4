import { describe, expect, it } from "vitest";
import { EMULATOR_CLIENT_ID, EMULATOR_DEFAULT_URL, EMULATOR_TENANT_ID } from "../../shared/config/defaults.js";
import { readShellConfig } from "./config.js";

describe("readShellConfig", () => {
  it("defaults to the emulator so a fresh build works against npm run emulator", () => {
    const config = readShellConfig({ href: "http://localhost:5173/app/index.html", search: "" });
    expect(config.authority).toBe(`${EMULATOR_DEFAULT_URL}/${EMULATOR_TENANT_ID}`);
    expect(config.clientId).toBe(EMULATOR_CLIENT_ID);
    expect(config.scopes).toEqual(["User.Read"]);
    expect(config.graphBaseUrl).toBe(EMULATOR_DEFAULT_URL);
    expect(config.redirectUri).toBe("http://localhost:5173/app/redirect.html");
  });

  it("takes authority, client ID, scopes and the resource from the query", () => {
    const search = "?authority=https://localhost:9999/t2/&clientId=abc&scopes=User.Read,api://demo/Data.Read&graph=https://graph.test";
    const config = readShellConfig({ href: `http://localhost:1234/index.html${search}`, search });
    expect(config.authority).toBe("https://localhost:9999/t2");
    expect(config.clientId).toBe("abc");
    expect(config.scopes).toEqual(["User.Read", "api://demo/Data.Read"]);
    expect(config.graphBaseUrl).toBe("https://graph.test");
    expect(config.redirectUri).toBe("http://localhost:1234/redirect.html");
  });

  it("does not throw on an authority that is not a URL (the shell then says so in a sentence)", () => {
    const search = "?authority=not-a-url";
    const config = readShellConfig({ href: `http://localhost:1234/index.html${search}`, search });
    expect(config.authority).toBe("not-a-url");
    expect(config.graphBaseUrl).toBe("");
  });
});
