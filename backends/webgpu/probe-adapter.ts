/**
 * Asks Dawn for an adapter in a child process. Dawn writes driver warnings (lavapipe's "…artificially
 * reduced…" limits) straight to the process's stderr, where no JavaScript can catch them; probing in a
 * child keeps `gnet train --backend auto` quiet when it then trains on another backend.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { summarizeAdapter, type AdapterSummary } from './adapter.js';

/** argv[1]: the `webgpu` package's URL. Prints the adapter's info as JSON, or null when there is none. */
const CHILD = `
const { create } = await import(process.argv[1]);
const adapter = await create([]).requestAdapter({ powerPreference: 'high-performance' });
const info = adapter && (adapter.info ?? {});
const fields = info && { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description, isFallbackAdapter: info.isFallbackAdapter ?? adapter.isFallbackAdapter };
process.stdout.write(JSON.stringify(fields));
process.exit(0);
`;

export type AdapterProbe = { readonly summary: AdapterSummary | null } | { readonly failure: string };

export function probeAdapter(timeoutMs: number): Promise<AdapterProbe> {
  const dawn = pathToFileURL(createRequire(import.meta.url).resolve('webgpu')).href;
  return new Promise((settle) => {
    execFile(process.execPath, ['--input-type=module', '-e', CHILD, dawn], { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) {
        const why = stderr.split('\n').filter((l) => l.trim() && !/artificially reduced/.test(l)).at(-1) ?? error.message.split('\n')[0];
        return settle({ failure: error.killed ? `no answer within ${timeoutMs / 1000} s` : why! });
      }
      try {
        const info = JSON.parse(stdout) as object | null;
        settle({ summary: info === null ? null : summarizeAdapter({ info } as unknown as GPUAdapter) });
      } catch {
        settle({ failure: `unexpected answer: ${stdout.slice(0, 200)}` });
      }
    });
  });
}
