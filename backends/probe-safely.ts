import type { GnetBackend, ProbeResult } from './backend.js';

/** Long enough for a slow driver to enumerate adapters; a probe that takes longer has hung. */
export const PROBE_TIMEOUT_MS = 30_000;

/**
 * A backend's probe that always answers: a probe that throws half-way (a driver that crashes while
 * enumerating adapters, a half-installed package) or never settles reports the backend unavailable
 * with what happened, so one broken backend cannot break listing or choosing the others.
 */
export async function probeSafely(backend: GnetBackend, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ProbeResult>((settle) => {
    timer = setTimeout(() => settle({ available: false, reason: `its probe did not finish within ${timeoutMs / 1000} s`, fix: `check the ${backend.name} driver or package, or choose another backend with --backend` }), timeoutMs);
  });
  try {
    return await Promise.race([backend.probe(), timeout]);
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return { available: false, reason: `its probe failed: ${message}`, fix: `reinstall what the ${backend.name} backend needs, or choose another backend with --backend` };
  } finally {
    clearTimeout(timer);
  }
}
