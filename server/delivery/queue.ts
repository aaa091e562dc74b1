import type { Channel } from '../identifiers.ts';
import type { Logger } from '../log.ts';
import type { OutgoingMessage, Sender } from './messages.ts';

/**
 * Sends messages off the request path (R3): a code request answers before any provider is
 * called, so the answer's timing says nothing about whether a message went out.
 */
export function createDeliveryQueue({ senders, log }: { senders: Record<Channel, Sender>; log: Logger }) {
  const pending: OutgoingMessage[] = [];
  let running: Promise<void> | null = null;

  async function drain() {
    for (let message = pending.shift(); message; message = pending.shift()) {
      try {
        await senders[message.channel].send(message);
      } catch (error) {
        log.error(`Could not send code ${message.codeNumber} by ${message.channel}: ${(error as Error).message}`);
      }
    }
    running = null;
  }

  return {
    enqueue(message: OutgoingMessage) {
      pending.push(message);
      running ??= new Promise<void>((resolve) => setImmediate(resolve)).then(drain);
    },
    /** Resolves once every queued message was handed over (tests, graceful shutdown). */
    async idle() {
      while (running) await running;
    },
  };
}

export type DeliveryQueue = ReturnType<typeof createDeliveryQueue>;
