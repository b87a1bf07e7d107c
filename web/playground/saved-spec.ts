/**
 * Where the edited spec lives between visits: the URL hash (so a link shares it) and local storage
 * (so a reload keeps it). The hash holds the file name and the text, deflated and base64url-encoded.
 */
export interface SavedSpec {
  /** Absolute path among the bundled specs (`/specs/unet.gnet`); imports resolve from it. */
  readonly path: string;
  readonly text: string;
}

const STORAGE_KEY = 'gnet-playground-spec';
/** Edited texts by path, for every file whose text differs from the bundled one. */
const DRAFTS_KEY = 'gnet-playground-drafts';

async function deflate(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function inflate(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Response(stream).text();
}

const toBase64Url = (bytes: Uint8Array): string =>
  btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join('')).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export async function specToHash(spec: SavedSpec): Promise<string> {
  const params = new URLSearchParams({ file: spec.path.replace(/^\/specs\//, ''), code: toBase64Url(await deflate(spec.text)) });
  return `#${params}`;
}

/** The spec in `hash`, or undefined when it holds none or a damaged one. */
export async function specFromHash(hash: string): Promise<SavedSpec | undefined> {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const code = params.get('code');
  if (!code) return undefined;
  try {
    return { path: `/specs/${params.get('file') || 'playground.gnet'}`, text: await inflate(fromBase64Url(code)) };
  } catch {
    return undefined;
  }
}

export function specFromStorage(): SavedSpec | undefined {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as SavedSpec | null;
    return saved && typeof saved.path === 'string' && typeof saved.text === 'string' ? saved : undefined;
  } catch {
    return undefined;
  }
}

export function storeSpec(spec: SavedSpec): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(spec));
  } catch {
    // Storage full or disabled (private windows): the hash still keeps the spec.
  }
}

/** The kept edits of every file, by path. */
export function storedDrafts(): Record<string, string> {
  try {
    const drafts = JSON.parse(localStorage.getItem(DRAFTS_KEY) ?? '{}') as unknown;
    return drafts && typeof drafts === 'object' ? Object.fromEntries(Object.entries(drafts).filter((e): e is [string, string] => typeof e[1] === 'string')) : {};
  } catch {
    return {};
  }
}

/** Keeps `text` as the edits of `path`; undefined forgets them (the file is as bundled again). */
export function storeDraft(path: string, text: string | undefined): void {
  const drafts = storedDrafts();
  if (text === undefined) delete drafts[path];
  else drafts[path] = text;
  try {
    localStorage.setItem(DRAFTS_KEY, JSON.stringify(drafts));
  } catch {
    // Storage full or disabled: the open file's text is still in the hash.
  }
}
