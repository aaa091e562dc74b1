import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gate } from '../../../server/delivery/queue.ts';

/** Runs `f` after `n` turns of the microtask queue. */
const after = (n: number, f: () => void): void => (n === 0 ? f() : queueMicrotask(() => after(n - 1, f)));

test('the send gate never lets more than its limit run, whenever a new task arrives as a slot is handed to a waiting one', async () => {
  // The moment a slot passes from a finished task to a waiting one lasts a few microtasks; a
  // task arriving n microtasks after the finish is tried for every n that could fall inside it.
  for (let n = 0; n < 12; n++) {
    const run = gate(1);
    let running = 0;
    let most = 0;
    const task = (onEnd: () => void = () => {}) =>
      run(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setImmediate(resolve));
        running--;
        onEnd();
      });
    const tasks: Array<Promise<void>> = [];
    // The first task, as it finishes, has a third one arrive n microtasks later; the second waits.
    tasks.push(task(() => after(n, () => void tasks.push(task()))), task());
    while (tasks.length < 3) await new Promise((resolve) => setImmediate(resolve));
    await Promise.all(tasks);
    assert.equal(most, 1, `a task arriving ${n} microtasks after another finished`);
  }
});
