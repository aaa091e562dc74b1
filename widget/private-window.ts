/**
 * A guess whether this is a private (incognito) window, from the storage quota: older Chromium
 * gave a private window a quota in the hundreds of megabytes where a normal window gets
 * gigabytes. Only ever a guess ("looks like"): a nearly full disk also shrinks the quota, and
 * since Chromium 138 every window reports a fixed quota (usage + a whole number of GiB) so that
 * private windows cannot be told apart; that answer means "unknown".
 *
 * ```ts
 * const guess = await probePrivateWindow(); // 'likely' | 'unlikely' | 'unknown'
 * ```
 */
export type PrivateWindowGuess = 'likely' | 'unlikely' | 'unknown';

/** Below this, a quota looks like a private window's. */
export const PRIVATE_QUOTA_BYTES = 1024 ** 3;
const GIB = 1024 ** 3;

/** Never rejects; an estimate that takes longer than `timeoutMs` counts as unknown. */
export async function probePrivateWindow(
  storage: Pick<StorageManager, 'estimate'> | undefined = globalThis.navigator?.storage,
  timeoutMs = 500,
): Promise<PrivateWindowGuess> {
  if (typeof storage?.estimate !== 'function') return 'unknown';
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
    const estimate = await Promise.race([storage.estimate(), late]);
    const { quota, usage = 0 } = estimate ?? {};
    if (typeof quota !== 'number' || quota <= 0) return 'unknown';
    if ((quota - usage) % GIB === 0) return 'unknown';
    return quota < PRIVATE_QUOTA_BYTES ? 'likely' : 'unlikely';
  } catch {
    return 'unknown';
  } finally {
    clearTimeout(timer);
  }
}
