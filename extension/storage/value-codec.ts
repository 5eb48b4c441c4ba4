/**
 * Serialises store values to bytes before encryption. JSON plus tags for the structured-clone types
 * the cache uses that JSON would lose (undefined inside arrays/objects is dropped like JSON does;
 * Uint8Array and Date are kept).
 */
const TAG = "\u0000rtb:";

export function encodeValue(value: unknown): Uint8Array {
  const json = JSON.stringify({ v: value }, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key];
    if (raw instanceof Uint8Array) return { [TAG]: "u8", d: Array.from(raw) };
    if (raw instanceof Date) return { [TAG]: "date", d: raw.getTime() };
    return v;
  });
  return new TextEncoder().encode(json);
}

export function decodeValue(bytes: ArrayBuffer | Uint8Array): unknown {
  const text = new TextDecoder().decode(bytes);
  const parsed = JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === "object" && TAG in v) {
      const tagged = v as Record<string, unknown>;
      if (tagged[TAG] === "u8") return new Uint8Array(tagged.d as number[]);
      if (tagged[TAG] === "date") return new Date(tagged.d as number);
    }
    return v;
  }) as { v?: unknown };
  return parsed.v;
}
