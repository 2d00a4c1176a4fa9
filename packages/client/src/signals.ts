import { CatalogApiError } from './errors.js';

/** The cancellation of one SDK call: the caller's signal and the call's deadline, merged. */
export interface CallSignal {
  readonly signal: AbortSignal;
  /** The error to throw once `signal` has fired (aborted or timeout). */
  error(cause?: unknown): CatalogApiError;
  /** Stops the timer; call when the call settles. */
  dispose(): void;
}

/**
 * Merges the caller's signal with a timeout. Done by hand rather than with `AbortSignal.any`
 * so the SDK runs on every browser and Node 20 release, and so a timeout is told apart from
 * an abort.
 */
export function callSignal(outer: AbortSignal | undefined, timeoutMs: number): CallSignal {
  const controller = new AbortController();
  let reason: 'aborted' | 'timeout' | undefined;
  const onAbort = () => {
    reason ??= 'aborted';
    controller.abort(outer?.reason);
  };
  if (outer?.aborted) onAbort();
  else outer?.addEventListener('abort', onAbort, { once: true });
  const timer =
    timeoutMs > 0 && Number.isFinite(timeoutMs) && !controller.signal.aborted
      ? setTimeout(() => {
          reason ??= 'timeout';
          controller.abort(new Error(`Timed out after ${timeoutMs} ms`));
        }, timeoutMs)
      : undefined;
  return {
    signal: controller.signal,
    error(cause) {
      const code = reason ?? 'aborted';
      const detail = code === 'timeout' ? `The request timed out after ${timeoutMs} ms` : 'The request was aborted';
      return new CatalogApiError({ status: 0, code, detail, cause: cause ?? controller.signal.reason });
    },
    dispose() {
      if (timer !== undefined) clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}

/** Waits for `promise`, but rejects as soon as `call.signal` fires (the promise keeps running). */
export function raceSignal<T>(promise: Promise<T>, call: CallSignal): Promise<T> {
  if (call.signal.aborted) return Promise.reject(call.error());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(call.error());
    call.signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        call.signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        call.signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
