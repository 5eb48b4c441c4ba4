/**
 * Opens the store's database with the schema this code reads (version 1: "entries" and "keys"),
 * and discards a database it cannot read: one at a higher version (left by a newer build, as after a
 * downgrade — its layout is unknown here) or one without our object stores. Such a database would
 * otherwise fail every request with a "retryable" storage error for ever.
 */
import { deleteDB, openDB, type IDBPDatabase } from "idb";

export const ENTRY_STORE = "entries";
const SCHEMA_VERSION = 1;
const REQUIRED_STORES = [ENTRY_STORE, "keys"] as const;

export type SchemaProblem = "version_mismatch" | "missing_stores";

export interface OpenedDatabase {
  db: IDBPDatabase;
  /** Why an unreadable database was deleted first, if it was. */
  discarded?: SchemaProblem;
}

/** Called when the open connection is gone: given up for another opener, or closed by the browser. */
export type OnConnectionLost = (why: "version_change" | "terminated") => void;

function openCurrent(name: string, onLost: OnConnectionLost): Promise<IDBPDatabase> {
  const db = openDB(name, SCHEMA_VERSION, {
    // Another opener is deleting or upgrading this database: let go rather than block it for ever,
    // and tell the owner, who opens the store again (and then finds what it can read).
    blocking(_current, _next, event) {
      (event.target as IDBDatabase).close();
      onLost("version_change");
    },
    // The browser closed the connection (site data cleared, disk error): same recovery.
    terminated() {
      onLost("terminated");
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

function hasRequiredStores(db: IDBPDatabase): boolean {
  return REQUIRED_STORES.every((store) => db.objectStoreNames.contains(store));
}

/** Deletes the database; the connection being replaced must be closed first. */
export async function discardDatabase(name: string): Promise<void> {
  await deleteDB(name);
}

export async function openStoreDatabase(name: string, onLost: OnConnectionLost = () => undefined): Promise<OpenedDatabase> {
  let problem: SchemaProblem | undefined;
  try {
    const db = await openCurrent(name, onLost);
    if (hasRequiredStores(db)) return { db };
    // Version 1 without our stores: the upgrade that creates them never runs again, so start over.
    db.close();
    problem = "missing_stores";
  } catch (error) {
    if (!isVersionError(error)) throw error;
    problem = "version_mismatch";
  }
  await discardDatabase(name);
  const db = await openCurrent(name, onLost);
  if (!hasRequiredStores(db)) {
    db.close();
    throw new Error("The recreated token store has no object stores");
  }
  return { db, discarded: problem };
}
