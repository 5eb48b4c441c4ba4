import { generate } from "selfsigned";

export interface TlsMaterial {
  key: string;
  cert: string;
}

/** A fresh self-signed certificate for localhost / 127.0.0.1 / ::1, made in-process (EC P-256: fast). */
export async function createSelfSignedCertificate(): Promise<TlsMaterial> {
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notAfterDate: new Date(Date.now() + 30 * 24 * 3600 * 1000),
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: [{ type: 2, value: "localhost" }, { type: 7, ip: "127.0.0.1" }, { type: 7, ip: "::1" }] },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
