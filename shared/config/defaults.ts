/**
 * The defaults a fresh build starts with: the identity emulator's fixed address, tenant and client
 * (the extension's default configuration and the demo point at exactly these, so a fresh build works
 * against `npm run emulator` with no setup) and the scope of its Graph-like resource.
 */
export const EMULATOR_DEFAULT_PORT = 8443;
export const EMULATOR_DEFAULT_URL = `https://localhost:${EMULATOR_DEFAULT_PORT}`;
export const EMULATOR_TENANT_ID = "1ff2628e-5488-4af2-9d52-731bb01ad4b3";
export const EMULATOR_CLIENT_ID = "2ffc5f25-9392-442a-93ff-be195186c310";

/** The scope of the emulator's Graph-like resource the defaults ask for. */
export const GRAPH_SCOPE_USER_READ = "User.Read";
