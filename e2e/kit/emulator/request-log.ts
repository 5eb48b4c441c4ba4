/** The request log: the tests' ground truth. It never holds token, code or password values. */
export interface RequestLogEntry {
  seq: number;
  /** Epoch ms (emulator clock) when the request arrived. */
  time: number;
  endpoint: string;
  method: string;
  /** Path only, never the query (which may carry codes). */
  path: string;
  grantType?: string;
  clientId?: string;
  origin?: string;
  status: number;
  /** The injected fault that answered, or "request_loop" when loop detection answered AADSTS50196. */
  fault?: string;
  username?: string;
  scope?: string;
  correlationId?: string;
  /** The `prompt` of an authorize request (absent: interactive without a prompt parameter). */
  prompt?: string;
  /** The `login_hint` of an authorize request: whom the sign-in was for. */
  loginHint?: string;
  /** Entra error code (e.g. "invalid_grant") of an error answer. */
  error?: string;
  durationMs: number;
}

export interface RequestLogFilter {
  since?: number;
  endpoint?: string;
  method?: string;
  grantType?: string;
}

const MAX_ENTRIES = 20_000;

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private nextSeq = 1;
  readonly countsByEndpoint = new Map<string, number>();
  readonly countsByStatus = new Map<number, number>();
  readonly grantsByType = new Map<string, number>();
  total = 0;

  add(entry: Omit<RequestLogEntry, "seq">): RequestLogEntry {
    const full: RequestLogEntry = { seq: this.nextSeq++, ...entry };
    this.entries.push(full);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    this.total += 1;
    this.countsByEndpoint.set(entry.endpoint, (this.countsByEndpoint.get(entry.endpoint) ?? 0) + 1);
    this.countsByStatus.set(entry.status, (this.countsByStatus.get(entry.status) ?? 0) + 1);
    if (entry.grantType) this.grantsByType.set(entry.grantType, (this.grantsByType.get(entry.grantType) ?? 0) + 1);
    return full;
  }

  list(filter: RequestLogFilter = {}): RequestLogEntry[] {
    return this.entries.filter(
      (e) =>
        (filter.since === undefined || e.seq > filter.since) &&
        (filter.endpoint === undefined || e.endpoint === filter.endpoint) &&
        (filter.method === undefined || e.method === filter.method.toUpperCase()) &&
        (filter.grantType === undefined || e.grantType === filter.grantType),
    );
  }

  /** The highest sequence number handed out so far (0 when none). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  clear(): void {
    this.entries = [];
  }

  resetCounters(): void {
    this.entries = [];
    this.countsByEndpoint.clear();
    this.countsByStatus.clear();
    this.grantsByType.clear();
    this.total = 0;
  }
}
