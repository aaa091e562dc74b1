import { sleep, type Clock } from '../clock.ts';
import type { DeliveryLog, OptOutStore } from '../store/deliveries.ts';
import { outlastingOutages } from '../store/index.ts';
import type { Channel } from '../identifiers.ts';
import type { Logger } from '../log.ts';
import { maskIdentifier } from '../identifiers.ts';
import { recordOptOut } from './opt-out-rules.ts';
import { DeliveryError, type DeliveryFailure, type OutgoingMessage, type SendReceipt, type Sender } from './messages.ts';

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
  /** Messages handed to one provider at once; the rest wait their turn. */
  concurrency?: number;
  /**
   * How long a message waits before its delivery starts: the answer floor (R3), so a code
   * request's own delivery work never runs while its answer is waiting to go out.
   */
  startAfterMs?: number;
  wait?: (ms: number) => Promise<void>;
}

export interface EnqueueOptions {
  /** Runs when the message surely did not go out (never after a timeout: it may have arrived). */
  onFailed?: () => Promise<void>;
  /** Asked before each retry: a code replaced meanwhile is not sent late. */
  stillWanted?: () => Promise<boolean>;
  /**
   * Work the request started and did not wait for (the code log's entry): the message waits for
   * it, so nothing it records can arrive before the record; if it failed, the message does not go
   * out and the failure is logged, as when the delivery log cannot be written.
   */
  after?: Promise<unknown>;
}

/** At most `limit` tasks at once; the others wait in order. */
export function gate(limit: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // A finished task hands its slot straight to the next in line (`active` stays as it is), so a
    // task arriving while that one wakes up cannot take the slot too.
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/**
 * Sends messages off the request path (R3): a code request answers before the delivery log or any
 * provider is touched, so the answer's timing says nothing about whether a message went out. Each
 * message is tried up to three times on transient failures; its row in the delivery log records
 * what happened, and a provider's "this address refuses messages" becomes an opt-out (R4).
 */
export function createDeliveryQueue(options: QueueOptions) {
  const { senders, deliveries, optOuts, health, clock, log, retryDelaysMs, concurrency = 4, startAfterMs = 0, wait = sleep } = options;
  const running = new Set<Promise<void>>();
  const gates: Record<Channel, ReturnType<typeof gate>> = { email: gate(concurrency), sms: gate(concurrency) };

  async function deliver(message: OutgoingMessage, { onFailed, stillWanted }: EnqueueOptions) {
    const sender = senders[message.channel];
    const now = clock.now();
    // The person was told a code is on its way: a storage outage delays it, never drops it.
    const durably = <T>(write: () => Promise<T>) => outlastingOutages(write, wait);
    await durably(() => deliveries.create({
      id: message.deliveryId,
      contactId: message.contactId,
      channel: message.channel,
      recipient: message.to,
      destination: maskIdentifier({ kind: message.channel === 'email' ? 'email' : 'phone', value: message.to }),
      provider: sender.provider,
      providerMessageId: null,
      codeNumber: message.codeNumber,
      reason: message.reason ?? null,
      status: 'queued',
      errorCode: null,
      errorText: null,
      createdAt: now,
      updatedAt: now,
    }));
    // A timed-out try may still have reached the person: then the code must not be taken back.
    let mayHaveArrived = false;
    for (let attempt = 0; ; attempt++) {
      let failure: DeliveryFailure | null = null;
      let receipt: SendReceipt | null = null;
      try {
        receipt = await sender.send(message);
      } catch (error) {
        failure = error instanceof DeliveryError ? error.failure : { kind: 'transient', code: 'error', text: (error as Error).message };
      }
      if (receipt) {
        const at = clock.now();
        await durably(() => deliveries.advance(message.deliveryId, { status: 'sent', at, ...receipt }));
        health.record(message.channel, true);
        return;
      }
      failure = failure!;
      if (failure.code === 'network' || failure.code === 'timeout') mayHaveArrived = true;
      if (failure.kind === 'transient' && attempt < retryDelaysMs.length) {
        await wait(retryDelaysMs[attempt]!);
        if (!stillWanted || (await stillWanted())) continue;
        failure = { kind: 'rejected', code: 'superseded', text: 'A newer code was asked for before this one could be sent.' };
      }
      await fail(message, sender, failure);
      if (!mayHaveArrived && failure.code !== 'superseded') await onFailed?.();
      return;
    }
  }

  async function fail(message: OutgoingMessage, sender: Sender, failure: DeliveryFailure) {
    const at = clock.now();
    if (failure.kind === 'systemic') {
      log.error(`${sender.provider} refused to send (${failure.code}): ${failure.text} Check the ${sender.provider === 'postmark' ? 'POSTMARK_' : 'TWILIO_'}* settings.`);
    } else {
      log.warn(`Delivery ${message.deliveryId} (code ${message.codeNumber} by ${message.channel}) failed: ${failure.kind} ${failure.code}`);
    }
    await deliveries.advance(message.deliveryId, {
      status: failure.kind === 'suppressed' ? 'suppressed' : 'failed',
      at,
      errorCode: failure.code,
      errorText: failure.text.slice(0, 500),
    });
    if (failure.kind === 'suppressed') {
      await recordOptOut(optOuts, {
        address: message.to,
        channel: message.channel,
        optedOut: true,
        // Twilio 21610: the number replied STOP. Postmark 406: the address is inactive there.
        source: message.channel === 'sms' ? 'stop_reply' : 'provider_suppressed',
        detail: `${sender.provider} ${failure.code}: ${failure.text}`.slice(0, 500),
        at,
      });
    }
    if (failure.kind === 'transient' || failure.kind === 'systemic') health.record(message.channel, false);
  }

  return {
    /** Logs `message` as queued and hands it over, in the background. */
    enqueue(message: OutgoingMessage, enqueueOptions: EnqueueOptions = {}) {
      const task = new Promise<void>((resolve) => (startAfterMs > 0 ? setTimeout(resolve, startAfterMs + 1) : setImmediate(resolve)))
        .then(() => enqueueOptions.after)
        .then(() => gates[message.channel](() => deliver(message, enqueueOptions)))
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
