/**
 * The page's one connection to the rides database, opened on first use and kept: views open
 * and close often, a database does not need to (opening it costs more than reading 500 headers).
 */
import { RideStore } from '../rides/store.ts';

let store: Promise<RideStore> | null = null;

export async function rides(): Promise<RideStore> {
  if (store && !(await store.catch(() => null))?.isOpen) store = null;
  store ??= RideStore.open().catch((err: unknown) => { store = null; throw err; });
  return store;
}
