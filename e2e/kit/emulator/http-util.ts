import type { IncomingMessage, ServerResponse } from "node:http";

/** Largest request body the emulator reads; bigger bodies get 413. */
const MAX_BODY_BYTES = 64 * 1024;
/** Largest URL (path + query) accepted; longer ones get 414. */
export const MAX_URL_LENGTH = 16 * 1024;

export class BodyTooLargeError extends Error {}

/** Reads the body up to MAX_BODY_BYTES, then rejects with BodyTooLargeError (draining the rest). */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? "0");
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
      req.resume();
      reject(new BodyTooLargeError());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        tooLarge = true;
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!tooLarge) resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", (err) => reject(err));
    req.on("aborted", () => reject(new Error("request aborted")));
  });
}

function mediaType(req: IncomingMessage): string | undefined {
  return (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
}

export function isFormContentType(req: IncomingMessage): boolean {
  return mediaType(req) === "application/x-www-form-urlencoded";
}

/** Graph's actions (`getMemberObjects`) take JSON bodies. */
export function isJsonContentType(req: IncomingMessage): boolean {
  return mediaType(req) === "application/json";
}

/** Parses a form body; repeated parameters or oversized values make it invalid (returns a message). */
export function parseForm(body: string): URLSearchParams | string {
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(body);
  } catch {
    return "The request body is not valid form data.";
  }
  const seen = new Set<string>();
  for (const key of params.keys()) {
    if (seen.has(key)) return `The parameter '${key.slice(0, 40)}' is duplicated.`;
    seen.add(key);
  }
  return params;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return; // Before stringifying: nothing to send it to.
  sendUtf8(res, status, "application/json", JSON.stringify(body), { Pragma: "no-cache", ...headers });
}

/** An uncached UTF-8 body of the given media type (nothing once the answer has started or the socket is gone). */
function sendUtf8(res: ServerResponse, status: number, mediaType: string, body: string, headers: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    "Content-Type": `${mediaType}; charset=utf-8`,
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store, no-cache",
    ...headers,
  });
  res.end(body);
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  sendUtf8(res, status, "text/plain", text, headers);
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  sendUtf8(res, status, "text/html", html, headers);
}

export function redirect(res: ServerResponse, location: string, headers: Record<string, string | string[]> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(302, { Location: location, "Cache-Control": "no-store, no-cache", "Content-Length": 0, ...headers });
  res.end();
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header || header.length > 8192) return cookies;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return cookies;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** CORS headers for a cross-origin caller (token endpoint, Graph-like resource, discovery). */
export function corsHeaders(origin: string | undefined): Record<string, string> {
  return {
    "Access-Control-Allow-Origin": origin && origin !== "null" ? origin : "*",
    "Access-Control-Expose-Headers": "Retry-After, WWW-Authenticate, client-request-id, x-ms-request-id, Date",
    Vary: "Origin",
  };
}

export function preflightHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  const requested = req.headers["access-control-request-headers"];
  return {
    ...corsHeaders(typeof origin === "string" ? origin : undefined),
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": typeof requested === "string" && requested.length < 2048 ? requested : "Content-Type, Authorization",
    "Access-Control-Max-Age": "86400",
  };
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
}
