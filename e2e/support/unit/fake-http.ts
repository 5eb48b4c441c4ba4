import type { Clock, HttpClient, HttpHeaders, HttpRequest, HttpResponse } from "../../../shared/ports.js";

export interface RecordedRequest extends HttpRequest {
  /** Clock time at which the request was sent. */
  at: number;
  /** Parsed form body (for token requests), empty when the body is not form-encoded. */
  form: URLSearchParams;
  /** What the fake answered (status and headers), once it answered; absent for errors and hangs. */
  response?: { status: number; headers: Record<string, string> };
}

export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  /** A JSON value (serialised) or a raw string body. */
  body?: unknown;
}

/** What the fake does with a request: answer, fail like a network error, or hang until aborted. */
export type ScriptStep =
  | ScriptedResponse
  | { networkError: string }
  | { hang: true }
  | ((request: RecordedRequest) => ScriptedResponse | Promise<ScriptedResponse>);

type Matcher = (request: RecordedRequest) => boolean;

function headersOf(record: Record<string, string> = {}): HttpHeaders {
  const lower = new Map(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
  return { get: (name) => lower.get(name.toLowerCase()) ?? null };
}

/**
 * A scripted HttpClient that records every request it saw. Routes are matched in the order they
 * were added; each route plays its steps in turn and repeats its last step.
 */
export class FakeHttp implements HttpClient {
  readonly requests: RecordedRequest[] = [];
  private routes: Array<{ match: Matcher; steps: ScriptStep[]; played: number }> = [];

  constructor(private readonly clock?: Clock) {}

  /** Script answers for requests whose URL contains `urlPart` (or that `match` accepts). */
  on(urlPart: string | Matcher, ...steps: ScriptStep[]): this {
    const match: Matcher = typeof urlPart === "string" ? (r) => r.url.includes(urlPart) : urlPart;
    this.routes.push({ match, steps, played: 0 });
    return this;
  }

  /** Requests whose URL contains `urlPart`. */
  sent(urlPart = ""): RecordedRequest[] {
    return this.requests.filter((r) => r.url.includes(urlPart));
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    if (request.signal?.aborted) throw request.signal.reason;
    const form = new URLSearchParams(request.body && !request.body.startsWith("{") ? request.body : "");
    const recorded: RecordedRequest = { ...request, at: this.clock?.now() ?? 0, form };
    this.requests.push(recorded);
    const route = this.routes.find((r) => r.match(recorded));
    if (!route || route.steps.length === 0) {
      throw new Error(`FakeHttp: no script for ${request.method} ${request.url}`);
    }
    const step = route.steps[Math.min(route.played, route.steps.length - 1)]!;
    route.played++;
    if (typeof step === "function") return answer(recorded, await step(recorded));
    if ("networkError" in step) throw new TypeError(step.networkError);
    if ("hang" in step) {
      return new Promise<HttpResponse>((_, reject) => {
        if (!request.signal) return;
        request.signal.addEventListener("abort", () => reject(request.signal?.reason), { once: true });
      });
    }
    return answer(recorded, step);
  }

  /** Requests the fake answered with `status` (e.g. 429). */
  answeredWith(status: number, urlPart = ""): RecordedRequest[] {
    return this.sent(urlPart).filter((r) => r.response?.status === status);
  }
}

function answer(recorded: RecordedRequest, scripted: ScriptedResponse): HttpResponse {
  recorded.response = { status: scripted.status ?? 200, headers: { ...scripted.headers } };
  return toResponse(scripted);
}

function toResponse(scripted: ScriptedResponse): HttpResponse {
  const body =
    scripted.body === undefined ? "" : typeof scripted.body === "string" ? scripted.body : JSON.stringify(scripted.body);
  return {
    status: scripted.status ?? 200,
    headers: headersOf(scripted.headers),
    text: async () => body,
  };
}
