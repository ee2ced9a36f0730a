/** The InputError a call throws; anything else it throws, or its returning, fails the test. */
import { InputError } from '../../src/errors.ts';

export function inputErrorOf(call: () => unknown): InputError {
  try {
    call();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError, but the call returned');
}
