import { describe, expect, it } from "vitest";
import { EMULATOR_DEFAULT_PORT } from "../../../shared/config/defaults.js";
import { parseCliArgs } from "./cli-args.js";

describe("entra-emulator arguments", () => {
  it("defaults to port 8443 and takes --port 0, --port=0, --host and the behaviour switches", () => {
    expect(parseCliArgs([])).toEqual({ port: EMULATOR_DEFAULT_PORT, loopDetection: true, refreshTokenReuse: "allow" });
    expect(parseCliArgs(["--port", "0"])).toMatchObject({ port: 0 });
    expect(parseCliArgs(["--port=0", "--host", "127.0.0.1", "--no-loop-detection", "--refresh-token-reuse=revoke_family"])).toEqual({ port: 0, host: "127.0.0.1", loopDetection: false, refreshTokenReuse: "revoke_family" });
  });

  it("answers help for --help / -h", () => {
    expect(parseCliArgs(["--port", "0", "--help"])).toBe("help");
    expect(parseCliArgs(["-h"])).toBe("help");
  });

  it("fails with a sentence on unknown flags and bad values", () => {
    expect(parseCliArgs(["--prot", "0"])).toEqual({ error: "Unknown option '--prot'. Run entra-emulator --help for the options." });
    expect(parseCliArgs(["--port"])).toEqual({ error: "Option --port needs a value." });
    expect(parseCliArgs(["--port", "70000"])).toMatchObject({ error: expect.stringMatching(/^Invalid --port '70000'/) });
    expect(parseCliArgs(["--port", "1e3"])).toMatchObject({ error: expect.stringMatching(/^Invalid --port/) });
    expect(parseCliArgs(["--refresh-token-reuse", "sometimes"])).toMatchObject({ error: expect.stringMatching(/use allow or revoke_family/) });
  });
});
