import { describe, expect, it } from "vitest";
import { mapEntraError } from "../../../shared/oidc/entra-errors.js";
import { entraErrorBody } from "./entra-error.js";
import { ENTRA_ERROR_PRESET_NAMES, entraErrorFor } from "./entra-error-presets.js";

describe("entra_error presets", () => {
  it("spa_cross_origin_redemption answers /token as Entra does for a redirect URI registered as Web (AADSTS9002326)", () => {
    const spec = entraErrorFor({ preset: "spa_cross_origin_redemption" }, "token");
    expect(spec).toMatchObject({ status: 400, error: "invalid_request", aadsts: 9002326 });
    const body = entraErrorBody(spec, 0, "corr", "https://localhost:1");
    expect(body.error_codes).toEqual([9002326]);
    expect(body.error_description).toMatch(/^AADSTS9002326: Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type\./);
    // The broker reads it as the IdP's refusal with the code kept for the registration check.
    expect(mapEntraError(400, JSON.stringify(body))).toMatchObject({ idpErrorCode: 9002326 });
  });

  it("every preset carries an AADSTS code and an error for both endpoints", () => {
    for (const name of ENTRA_ERROR_PRESET_NAMES) {
      for (const endpoint of ["token", "authorize"] as const) {
        const spec = entraErrorFor({ preset: name }, endpoint);
        expect(spec.aadsts, name).toBeGreaterThan(0);
        expect(spec.error, name).toMatch(/^[a-z_]+$/);
      }
    }
  });
});
