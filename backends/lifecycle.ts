import * as tf from '@tensorflow/tfjs-core';
import { GnetError } from '../runtime/errors.js';

type FactoryEntry = ReturnType<typeof tf.engine>['registryFactory'][string];

/** Factories (with their priorities) seen at first activation; a package registers its factory only when first imported. */
const factories = new Map<string, FactoryEntry>();

/**
 * Loads a backend package (its import registers the factory), re-registers the factory when an
 * earlier `deactivate` removed it, and makes the backend the active one.
 */
export async function activate(name: string, load: () => Promise<unknown>): Promise<void> {
  await load();
  const registered = tf.engine().registryFactory[name] as FactoryEntry | undefined;
  const entry = registered ?? factories.get(name);
  if (entry === undefined) {
    throw new GnetError('GN0903', `loading the '${name}' backend package registered no backend; reinstall its package`);
  }
  factories.set(name, entry);
  if (registered === undefined) tf.registerBackend(name, entry.factory, entry.priority);
  if (!(await tf.setBackend(name))) {
    throw new GnetError('GN0903', `the '${name}' backend failed to initialise (see the warning above); choose another backend with --backend`);
  }
}

/** Disposes the backend's memory; `activate` can bring it back. */
export function deactivate(name: string): void {
  if (name in tf.engine().registryFactory) tf.removeBackend(name);
}

/** Whether the backend instance exists; unlike tf.findBackend, asking does not start it. */
export function isInitialised(name: string): boolean {
  return name in tf.engine().registry;
}
