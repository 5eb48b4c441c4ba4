/** The emulator's directory: two users with fixed object IDs (stable across restarts). */
export interface EmulatorUser {
  username: string;
  password: string;
  oid: string;
  displayName: string;
  givenName: string;
  surname: string;
  /** App roles assigned to the user (emitted as `roles` in ID and access tokens). */
  roles: string[];
  /** Group object IDs. More than GROUP_OVERAGE_LIMIT → overage form in tokens. */
  groups: string[];
}

/** Entra emits at most 200 groups in a JWT; beyond that it emits the overage claim instead. */
export const GROUP_OVERAGE_LIMIT = 200;

function manyGroupIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `9a0c${i.toString(16).padStart(4, "0")}-0000-4000-8000-00000000a1e0`);
}

const USERS: readonly EmulatorUser[] = [
  {
    username: "adele@contoso.test",
    password: "Passw0rd!",
    oid: "6e1c2a4b-3f1d-4c55-9b0e-1d3a0f4ad3e1",
    displayName: "Adele Vance",
    givenName: "Adele",
    surname: "Vance",
    roles: ["Reader", "Admin"],
    groups: [
      "0c4f7e6a-1b2c-4d3e-8f90-a1b2c3d4e5f6",
      "5d1e9a3c-7b4f-4e2a-9c1d-0e8f7a6b5c4d",
      "b7e2c1d0-4a3f-4b5e-8d6c-9f0a1b2c3d4e",
    ],
  },
  {
    username: "alex@contoso.test",
    password: "Passw0rd!",
    oid: "8f3b9d2c-6a1e-4f7b-a2c4-5e6d7f8a9b0c",
    displayName: "Alex Wilber",
    givenName: "Alex",
    surname: "Wilber",
    roles: [],
    groups: manyGroupIds(250),
  },
];

export function findUser(username: string | undefined | null): EmulatorUser | undefined {
  if (!username) return undefined;
  const wanted = username.trim().toLowerCase();
  return USERS.find((u) => u.username === wanted);
}
