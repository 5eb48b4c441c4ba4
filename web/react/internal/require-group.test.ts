import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { AuthShell, IdTokenClaimsView } from "resilient-token-broker/shell";
import { ShellContext } from "./provider.js";
import { RequireGroup } from "./require-group.js";

function render(claims: IdTokenClaimsView | null): string {
  const shell = { claims: () => claims } as unknown as AuthShell;
  const gate = createElement(RequireGroup, { group: "0C4F7E6A-aaaa", fallback: "no", pending: "wait" }, "yes");
  return renderToStaticMarkup(createElement(ShellContext.Provider, { value: { shell, version: 0 } }, gate));
}

const base: IdTokenClaimsView = { roles: [], groups: [], groupsOverage: false };

describe("RequireGroup", () => {
  it("renders children for a member by the token's groups, case-insensitively", () => {
    expect(render({ ...base, groups: ["0c4f7e6a-AAAA"] })).toBe("yes");
    expect(render({ ...base, groups: ["other"] })).toBe("no");
    expect(render(null)).toBe("no");
  });

  it("under groups overage: pending while Graph is asked, then Graph's answer, fallback on failure", () => {
    const overage = { ...base, groupsOverage: true };
    expect(render({ ...overage, groupsResolution: "pending" })).toBe("wait");
    expect(render({ ...overage, groupsResolution: "resolved", groups: ["0c4f7e6a-aaaa"] })).toBe("yes");
    expect(render({ ...overage, groupsResolution: "failed", groupsError: "Graph said no." })).toBe("no");
  });
});
