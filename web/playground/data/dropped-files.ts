/** What was dropped on the data picker: the files (folders walked), and their handles where the browser gives them. */
import type { PathedFile } from './data-choice.js';
import type { PickedHandle } from './picked-store.js';

/** The dropped files, folders walked, each with its path inside what was dropped. */
export async function droppedFiles(transfer: DataTransfer | null): Promise<PathedFile[]> {
  if (!transfer) return [];
  const entries = Array.from(transfer.items).map((item) => item.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  if (entries.length === 0) return Array.from(transfer.files).map((file) => ({ path: file.name, file }));
  const files: PathedFile[] = [];
  const walkEntry = async (entry: FileSystemEntry): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      files.push({ path: entry.fullPath.replace(/^\//, ''), file });
      return;
    }
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries hands out a directory in batches until it returns none.
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) break;
      for (const child of batch) await walkEntry(child);
    }
  };
  for (const entry of entries) await walkEntry(entry);
  return files;
}

/** Handles of the dropped items where the browser gives them (asked during the drop event, as it requires); undefined otherwise. */
export function droppedHandles(transfer: DataTransfer | null): Promise<PickedHandle[] | undefined> {
  const items = Array.from(transfer?.items ?? []) as (DataTransferItem & { getAsFileSystemHandle?(): Promise<FileSystemHandle | null> })[];
  if (items.length === 0 || !items.every((i) => i.getAsFileSystemHandle)) return Promise.resolve(undefined);
  return Promise.all(items.map((i) => i.getAsFileSystemHandle!())).then((handles) =>
    handles.every((h) => h !== null) ? handles.map((handle) => ({ path: handle!.name, handle: handle as FileSystemFileHandle & FileSystemDirectoryHandle })) : undefined,
  ).catch(() => undefined);
}
