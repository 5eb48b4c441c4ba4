/**
 * A tolerant `WWW-Authenticate` parser (RFC 9110 §11.6.1):
 *   challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ], several per header, comma-separated.
 * Scheme and parameter names are case-insensitive and returned lower-cased; values keep their case;
 * quoted strings may contain commas and backslash escapes. Garbage is skipped up to the next comma
 * instead of failing the whole header. Duplicate parameters: the first wins.
 */
export interface Challenge {
  /** Lower-cased, e.g. "bearer". */
  scheme: string;
  /** Lower-cased parameter names → unquoted values. */
  params: Record<string, string>;
  token68?: string;
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68_AT = /^[A-Za-z0-9\-._~+/]+=*/;

export function parseWwwAuthenticate(header: string | null | undefined): Challenge[] {
  const text = header ?? "";
  const challenges: Challenge[] = [];
  let pos = 0;
  let current: Challenge | undefined;

  const skipSpaces = () => {
    while (pos < text.length && (text[pos] === " " || text[pos] === "\t")) pos++;
  };
  const readToken = () => {
    const start = pos;
    while (pos < text.length && TCHAR.test(text[pos]!)) pos++;
    return text.slice(start, pos);
  };
  const skipToComma = () => {
    while (pos < text.length && text[pos] !== ",") {
      if (text[pos] === '"') readQuoted();
      else pos++;
    }
  };
  const readQuoted = () => {
    let value = "";
    pos++; // opening quote
    while (pos < text.length && text[pos] !== '"') {
      if (text[pos] === "\\" && pos + 1 < text.length) pos++;
      value += text[pos];
      pos++;
    }
    pos++; // closing quote (or past the end when unterminated)
    return value;
  };
  /** After the current element: true at end or comma (consumed). */
  const atElementEnd = () => {
    skipSpaces();
    if (pos >= text.length) return true;
    if (text[pos] === ",") {
      pos++;
      return true;
    }
    return false;
  };

  while (pos < text.length) {
    skipSpaces();
    if (text[pos] === ",") {
      pos++;
      continue;
    }
    const elementStart = pos;
    const name = readToken();
    if (!name) {
      skipToComma();
      continue;
    }
    skipSpaces();
    if (text[pos] === "=" && current) {
      // auth-param of the current challenge: name = token / quoted-string
      pos++;
      skipSpaces();
      const value = text[pos] === '"' ? readQuoted() : readToken();
      const key = name.toLowerCase();
      if (!(key in current.params)) current.params[key] = value;
      if (!atElementEnd()) skipToComma();
      continue;
    }
    if (text[pos] === "=") {
      // name=value with no challenge to belong to: garbage.
      skipToComma();
      continue;
    }
    // A new challenge: `name` is its scheme.
    current = { scheme: name.toLowerCase(), params: {} };
    challenges.push(current);
    if (pos === elementStart + name.length) {
      // No space after the scheme: nothing else belongs to this challenge.
      if (!atElementEnd()) skipToComma();
      continue;
    }
    // token68? It stands alone after the scheme, followed by the end or a comma.
    const token68 = TOKEN68_AT.exec(text.slice(pos))?.[0];
    if (token68 !== undefined) {
      const after = pos + token68.length;
      let probe = after;
      while (probe < text.length && (text[probe] === " " || text[probe] === "\t")) probe++;
      if (probe >= text.length || text[probe] === ",") {
        current.token68 = token68;
        pos = after;
        atElementEnd();
        current = undefined; // a token68 challenge takes no parameters
        continue;
      }
    }
    // Otherwise the parameters follow; the loop picks them up as `name=value` elements.
  }
  return challenges;
}

/** The first challenge with `scheme` (case-insensitive). */
export function findChallenge(challenges: readonly Challenge[], scheme: string): Challenge | undefined {
  const wanted = scheme.toLowerCase();
  return challenges.find((c) => c.scheme === wanted);
}
