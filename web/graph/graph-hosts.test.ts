import { describe, expect, it } from "vitest";
import { GRAPH_HOSTS, isAllowedUrl, normaliseAllowedHosts } from "./graph-hosts.js";

describe("Graph host allow-list", () => {
  it("allows Graph and the national clouds by default, whatever the port", () => {
    expect(isAllowedUrl("https://graph.microsoft.com/v1.0/me", GRAPH_HOSTS)).toBe(true);
    expect(isAllowedUrl("https://microsoftgraph.chinacloudapi.cn:443/v1.0/me", GRAPH_HOSTS)).toBe(true);
    expect(isAllowedUrl("https://graph.microsoft.us/v1.0/me", GRAPH_HOSTS)).toBe(true);
  });

  it.each([
    ["another host", "https://evil.example/v1.0/me"],
    ["a look-alike suffix", "https://graph.microsoft.com.evil.example/v1.0/me"],
    ["user info that disguises the host", "https://graph.microsoft.com@evil.example/v1.0/me"],
    ["plain http to a remote host", "http://graph.microsoft.com/v1.0/me"],
    ["a relative URL", "/v1.0/me"],
    ["no URL", undefined],
  ])("refuses %s", (_, url) => {
    expect(isAllowedUrl(url, GRAPH_HOSTS)).toBe(false);
  });

  it("matches subdomains only for entries with a leading dot", () => {
    expect(isAllowedUrl("https://eu.graph.example/x", [".graph.example"])).toBe(true);
    expect(isAllowedUrl("https://eu.graph.example/x", ["graph.example"])).toBe(false);
  });

  it("allows http for loopback hosts only (local emulators)", () => {
    expect(isAllowedUrl("http://localhost:8443/v1.0/me", ["localhost"])).toBe(true);
  });

  it("lower-cases bare hosts and refuses an empty list, schemes, ports and paths", () => {
    expect(normaliseAllowedHosts(["Graph.Microsoft.com"])).toEqual(["graph.microsoft.com"]);
    expect(() => normaliseAllowedHosts([])).toThrow(/empty/);
    for (const bad of ["https://graph.microsoft.com", "localhost:8443", "graph.microsoft.com/v1.0"]) {
      expect(() => normaliseAllowedHosts([bad])).toThrow(/bare host name/);
    }
  });
});
