/**
 * Opens the store's database with the schema this code reads (version 1: "entries" and "keys"),
 * and discards a database it cannot read: one at a higher version (left by a newer build, as after a
 * downgrade — its layout is unknown here) or one without our object stores. Such a database would
 * otherwise fail every request with a "retryable" storage error for ever.
 */
import { deleteDB, openDB, type IDBPDatabase } from "idb";

export const ENTRY_STORE = "entries";
export const SCHEMA_VERSION = 1;
const REQUIRED_STORES = [ENTRY_STORE, "keys"] as const;

export type SchemaProblem = "version_mismatch" | "missing_stores";

export interface OpenedDatabase {
  db: IDBPDatabase;
  /** Why an unreadable database was deleted first, if it was. */
  discarded?: SchemaProblem;
}

function openCurrent(name: string): Promise<IDBPDatabase> {
  const db = openDB(name, SCHEMA_VERSION, {
    // Another opener that found this database unreadable is deleting it: let go rather than block
    // its deletion for ever (this connection's users then fail with a storage error and reopen).
    blocking(_current, _next, event) {
      (event.target as IDBDatabase).close();
    },
    upgrade(database) {
      for (const store of REQUIRED_STORES) if (!database.objectStoreNames.contains(store)) database.createObjectStore(store);
    },
  });
  return db;
}

function isVersionError(error: unknown): boolean {
  return error instanceof Error && error.name === "VersionError";
}

export function hasRequiredStores(db: IDBPDatabase): boolean {
  return REQUIRED_STORES.every((store) => db.objectStoreNames.contains(store));
}

/** Deletes the database; the connection being replaced must be closed first. */
export async function discardDatabase(name: string): Promise<void> {
  await deleteDB(name);
}

export async function openStoreDatabase(name: string): Promise<OpenedDatabase> {
  let problem: SchemaProblem | undefined;
  try {
    const db = await openCurrent(name);
    if (hasRequiredStores(db)) return { db };
    // Version 1 without our stores: the upgrade that creates them never runs again, so start over.
    db.close();
    problem = "missing_stores";
  } catch (error) {
    if (!isVersionError(error)) throw error;
    problem = "version_mismatch";
  }
  await discardDatabase(name);
  const db = await openCurrent(name);
  if (!hasRequiredStores(db)) {
    db.close();
    throw new Error("The recreated token store has no object stores");
  }
  return { db, discarded: problem };
}
