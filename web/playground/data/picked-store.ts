/**
 * The data files picked last, across reloads. A page cannot keep File objects; it can keep the file
 * handles of the File System Access API (Chromium's pickers and drops) in IndexedDB and, after a
 * reload, ask the user once for permission to read them again. Files picked through a plain file
 * input have no handle: only their names are kept, so the page can say which to pick again.
 */
import { GnetError } from '../../../runtime/errors.js';
import { PAGE_ERRORS } from '../page-codes.js';
import type { DataKind, PathedFile } from './data-choice.js';

/** A picked file or folder as a handle the browser can keep, with its path inside what was picked. */
export type PickedHandle = { readonly path: string; readonly handle: FileSystemFileHandle } | { readonly path: string; readonly handle: FileSystemDirectoryHandle };

export interface KeptPick {
  readonly kind: Exclude<DataKind, 'cells'>;
  /** The picked files' paths, for the message. */
  readonly names: readonly string[];
  /** Present when the browser gave handles for every file or folder. */
  readonly handles?: readonly PickedHandle[];
}

const DB = 'gnet-playground';
const STORE = 'picked';
const KEY = 'last';

function database(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function transact<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await database();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = work(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

/** Remembers the pick; a browser without IndexedDB (or that refuses handles) keeps nothing. */
export async function keepPick(pick: KeptPick): Promise<void> {
  try {
    await transact('readwrite', (store) => store.put(pick, KEY));
  } catch {
    // Handles that cannot be stored: keep the names alone.
    await transact('readwrite', (store) => store.put({ kind: pick.kind, names: pick.names }, KEY)).catch(() => undefined);
  }
}

export async function keptPick(): Promise<KeptPick | undefined> {
  try {
    return (await transact('readonly', (store) => store.get(KEY))) as KeptPick | undefined;
  } catch {
    return undefined;
  }
}

export async function forgetPick(): Promise<void> {
  await transact('readwrite', (store) => store.delete(KEY)).catch(() => undefined);
}

type Permissioned = FileSystemHandle & {
  queryPermission?(options: { mode: 'read' }): Promise<PermissionState>;
  requestPermission?(options: { mode: 'read' }): Promise<PermissionState>;
};

/**
 * The kept files again, read through their handles. Asks for permission where the browser wants it
 * (only from a click); a file moved or deleted since, or permission refused, is a coded message (GN0964).
 */
export async function reopenPick(handles: readonly PickedHandle[]): Promise<PathedFile[]> {
  const files: PathedFile[] = [];
  for (const { path, handle } of handles) {
    const h = handle as Permissioned;
    const state = (await h.queryPermission?.({ mode: 'read' })) ?? 'granted';
    if (state !== 'granted' && (await h.requestPermission?.({ mode: 'read' })) !== 'granted') {
      throw new GnetError(PAGE_ERRORS.keptFilesUnreadable, `the browser did not allow reading ${path} again; pick the files again`);
    }
    try {
      if (handle.kind === 'file') files.push({ path, file: await handle.getFile() });
      else files.push(...(await walk(handle, path)));
    } catch (error) {
      throw new GnetError(PAGE_ERRORS.keptFilesUnreadable, `${path} cannot be read any more (${(error as Error).name}: moved, renamed or deleted since it was picked); pick the files again`);
    }
  }
  return files;
}

/** Every file under a folder handle, with paths from the folder's own name (as a folder input gives them). */
export async function walk(folder: FileSystemDirectoryHandle, prefix = folder.name): Promise<PathedFile[]> {
  const files: PathedFile[] = [];
  for await (const entry of (folder as FileSystemDirectoryHandle & { values(): AsyncIterable<FileSystemHandle> }).values()) {
    const path = `${prefix}/${entry.name}`;
    if (entry.kind === 'file') files.push({ path, file: await (entry as FileSystemFileHandle).getFile() });
    else files.push(...(await walk(entry as FileSystemDirectoryHandle, path)));
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}
