/** The GnetError a piece of work fails with; any other outcome fails the test. */
import { GnetError } from '../runtime/errors.js';

export async function gnetErrorOf(work: () => Promise<unknown> | unknown): Promise<GnetError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof GnetError) return error;
    throw error;
  }
  throw new Error('expected a GnetError');
}
