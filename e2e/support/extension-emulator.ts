/**
 * The identity emulator for the extension's e2e tests: started in-process on a free port, driven
 * through its HTTP control API (`/__control/…`, the one client in ./emulator.ts), whose request log is
 * the tests' ground truth.
 */
import { request as httpsRequest } from "node:https";
import { EmulatorControl, startTestEmulator, type RequestLogEntry, type TestEmulator } from "../kit/emulator/control-client.js";

/** A well-formed client ID the emulator did not register: "another app" in grant and config tests. */
export const OTHER_CLIENT_ID = "3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";

export class EmulatorHandle extends EmulatorControl {
  private constructor(readonly running: TestEmulator) {
    super(running.url);
  }

  static async start(): Promise<EmulatorHandle> {
    return new EmulatorHandle(await startTestEmulator());
  }

  get url(): string {
    return this.running.url;
  }
  get authority(): string {
    return this.running.authority;
  }
  get clientId(): string {
    return this.running.clientId;
  }
  get meUrl(): string {
    return `${this.running.url}/v1.0/me`;
  }

  /** Token endpoint POSTs (grants) since a log sequence number; CORS preflights excluded. */
  tokenPosts(since: number, grantType?: string): Promise<RequestLogEntry[]> {
    return this.requests({ since, endpoint: "token", method: "POST", ...(grantType ? { grantType } : {}) });
  }

  /** GET /v1.0/me with a bearer token, from Node (the resource server's view). */
  callMe(accessToken: string): Promise<{ status: number; wwwAuthenticate: string | undefined }> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(this.meUrl, { rejectUnauthorized: false, headers: { authorization: `Bearer ${accessToken}` } }, (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, wwwAuthenticate: res.headers["www-authenticate"] as string | undefined }));
      });
      req.on("error", reject);
      req.end();
    });
  }

  close(): Promise<void> {
    return this.running.close();
  }
}
