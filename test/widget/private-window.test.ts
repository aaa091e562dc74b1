import { PRIVATE_QUOTA_BYTES, probePrivateWindow } from '../../widget/private-window.ts';
import { assertEqual } from './helpers.ts';

const MB = 1_000_000;
const GIB = 1024 ** 3;
const estimating = (estimate: StorageEstimate) => ({ estimate: async () => estimate });

describe('probePrivateWindow', () => {
  it('says a private window is likely when the quota is in the hundreds of megabytes (older Chromium)', async () => {
    assertEqual(await probePrivateWindow(estimating({ quota: 120 * MB, usage: 3 * MB })), 'likely', 'guess');
  });

  it('says unlikely when the quota is gigabytes that depend on the disk', async () => {
    assertEqual(await probePrivateWindow(estimating({ quota: 153_000_000_000, usage: 0 })), 'unlikely', 'guess');
    assertEqual(await probePrivateWindow(estimating({ quota: PRIVATE_QUOTA_BYTES + 1, usage: 0 })), 'unlikely', 'just above the line');
  });

  it('says unknown for the fixed quota every window reports since Chromium 138 (usage + whole GiB)', async () => {
    assertEqual(await probePrivateWindow(estimating({ quota: 10 * GIB + 5000, usage: 5000 })), 'unknown', 'static quota');
  });

  it('says unknown without a storage estimate, when it fails, or when it takes too long', async () => {
    assertEqual(await probePrivateWindow(undefined), 'unknown', 'no StorageManager');
    assertEqual(await probePrivateWindow({ estimate: async () => Promise.reject(new Error('nope')) }), 'unknown', 'rejected');
    assertEqual(await probePrivateWindow(estimating({})), 'unknown', 'no quota');
    const never = { estimate: () => new Promise<StorageEstimate>(() => {}) };
    assertEqual(await probePrivateWindow(never, 20), 'unknown', 'timed out');
  });

  it('answers in this Chromium without throwing', async () => {
    const guess = await probePrivateWindow();
    assertEqual(['likely', 'unlikely', 'unknown'].includes(guess), true, `guess ${guess}`);
  });
});
