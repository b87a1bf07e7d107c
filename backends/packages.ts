import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { cpus } from 'node:os';

const require = createRequire(import.meta.url);

/** The folder an installed package lives in, found without loading the package. */
export function packageDir(name: string): string | undefined {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/** The installed version of a package, or undefined when it is not installed. */
export function packageVersion(name: string): string | undefined {
  const dir = packageDir(name);
  return dir === undefined ? undefined : (require(`${dir}/package.json`) as { version: string }).version;
}

/** "Intel(R) Xeon(R) … × 2 cores": the host processor, for DeviceInfo.detail. */
export function hostProcessor(): string {
  const all = cpus();
  const model = all[0]?.model.trim() || 'unknown processor';
  return `${model} × ${all.length} cores`;
}
