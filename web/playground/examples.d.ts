/** The specs/ folder, bundled by scripts/build-web.mjs: file text by absolute path (`/specs/unet.gnet`). */
declare module 'gnet:examples' {
  export const EXAMPLES: Readonly<Record<string, string>>;
}
