import type { Clock } from '../clock.ts';
import type { DeliveryLog, OptOutStore } from '../deliveries.ts';
import type { Channel } from '../identifiers.ts';
import type { Logger } from '../log.ts';
import { DeliveryError, type DeliveryFailure, type OutgoingMessage, type Sender } from './messages.ts';

/**
 * Whether a provider is failing for everyone: after `failuresToTrip` messages in a row that failed
 * for transient reasons (after their retries), the channel is down for `downForMs`; then one
 * request may try again, and a success brings it back at once.
 */
export function createChannelHealth({ clock, failuresToTrip, downForMs }: { clock: Clock; failuresToTrip: number; downForMs: number }) {
  const state: Record<Channel, { failures: number; downSince: number | null }> = {
    email: { failures: 0, downSince: null },
    sms: { failures: 0, downSince: null },
  };
  return {
    isDown(channel: Channel) {
      const { downSince } = state[channel];
      return downSince !== null && clock.now() - downSince < downForMs;
    },
    record(channel: Channel, ok: boolean) {
      const s = state[channel];
      if (ok) Object.assign(s, { failures: 0, downSince: null });
      else if (++s.failures >= failuresToTrip) s.downSince = clock.now();
    },
  };
}

export type ChannelHealth = ReturnType<typeof createChannelHealth>;

export interface QueueOptions {
  senders: Record<Channel, Sender>;
  deliveries: DeliveryLog;
  optOuts: OptOutStore;
  health: ChannelHealth;
  clock: Clock;
  log: Logger;
  /** Waits before the 2nd and 3rd try of a transient failure: at most 3 tries, never a new code. */
  retryDelaysMs: readonly number[];
  wait?: (ms: number) => Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends messages off the request path (R3): a code request answers before any provider is called,
 * so the answer's timing says nothing about whether a message went out. Each message is tried up
 * to three times on transient failures; its row in the delivery log records what happened, and a
 * provider's "this address refuses messages" becomes an opt-out (R4).
 */
export function createDeliveryQueue({ senders, deliveries, optOuts, health, clock, log, retryDelaysMs, wait = sleep }: QueueOptions) {
  const running = new Set<Promise<void>>();

  async function deliver(message: OutgoingMessage, onFailed: () => Promise<void>) {
    const sender = senders[message.channel];
    for (let attempt = 0; ; attempt++) {
      let failure: DeliveryFailure;
      try {
        const receipt = await sender.send(message);
        await deliveries.advance(message.deliveryId, { status: 'sent', at: clock.now(), ...receipt });
        health.record(message.channel, true);
        return;
      } catch (error) {
        failure = error instanceof DeliveryError ? error.failure : { kind: 'transient', code: 'error', text: (error as Error).message };
      }
      if (failure.kind === 'transient' && attempt < retryDelaysMs.length) {
        await wait(retryDelaysMs[attempt]!);
        continue;
      }
      log.warn(`Delivery ${message.deliveryId} (code ${message.codeNumber} by ${message.channel}) failed: ${failure.kind} ${failure.code}`);
      const at = clock.now();
      await deliveries.advance(message.deliveryId, {
        status: failure.kind === 'suppressed' ? 'suppressed' : 'failed',
        at,
        provider: sender.provider,
        errorCode: failure.code,
        errorText: failure.text.slice(0, 500),
      });
      if (failure.kind === 'suppressed') {
        await optOuts.set({
          address: message.to,
          channel: message.channel,
          optedOut: true,
          // Twilio 21610: the number replied STOP. Postmark 406: the address is inactive there.
          source: message.channel === 'sms' ? 'stop_reply' : 'provider',
          detail: `${sender.provider} ${failure.code}: ${failure.text}`.slice(0, 500),
          at,
        });
      }
      if (failure.kind === 'transient') health.record(message.channel, false);
      await onFailed();
      return;
    }
  }

  return {
    /** Hands `message` over in the background; `onFailed` runs if it finally could not be sent. */
    enqueue(message: OutgoingMessage, onFailed: () => Promise<void> = async () => {}) {
      const task = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => deliver(message, onFailed))
        .catch((error) => log.error(`Delivery ${message.deliveryId} broke: ${(error as Error).stack}`))
        .finally(() => running.delete(task));
      running.add(task);
    },
    /** Resolves once every queued message was handed over or given up (tests, graceful shutdown). */
    async idle() {
      while (running.size) await Promise.all(running);
    },
  };
}

export type DeliveryQueue = ReturnType<typeof createDeliveryQueue>;
