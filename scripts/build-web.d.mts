/** Types of scripts/build-web.mjs, for the tests that build the page. */
export interface BuildWebOptions {
  /** The .gnet file whose networks the page holds (default specs/lenet5.gnet). */
  readonly spec?: string;
  /** Output folder (default web/dist). */
  readonly out?: string;
  /** The page's TypeScript entry (default web/main.ts). */
  readonly entry?: string;
}

/** Builds index.html and main.js into `out`; resolves to the names of the networks bundled. */
export function buildWeb(options?: BuildWebOptions): Promise<string[]>;

export interface BuildPlaygroundOptions {
  /** Output folder (default web/dist/playground). */
  readonly out?: string;
}

/** Builds the playground (index.html, playground.css, main.js, compile-worker.js) into `out`; resolves to that folder. */
export function buildPlayground(options?: BuildPlaygroundOptions): Promise<string>;
