import { DATA_ERRORS, dataError } from '../../../runtime/data/codes.js';

/** Unpacks gzip with the browser's own DecompressionStream (the CLI uses node:zlib). */
export async function gunzip(file: Blob, name: string): Promise<Uint8Array> {
  try {
    const stream = file.stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw dataError(DATA_ERRORS.corruptFile, `${name} starts like gzip but cannot be unpacked (${why}); the file is damaged or cut short: copy it again`);
  }
}
