import type pg from 'pg';
import type { Clock } from '../../clock.ts';
import { deliveryStatuses, movesForward, type DeliveryLog, type DeliveryStatus, type OptOutStore, type WebhookEventStore } from '../deliveries.ts';
import { toDelivery, toOptOut } from '../rows.ts';

/** The delivery log in PostgreSQL. */
export function createPostgresDeliveries(pool: pg.Pool): DeliveryLog {
  const one = async (sql: string, params: unknown[]) => {
    const { rows } = await pool.query(sql, params);
    return rows[0] ? toDelivery(rows[0]) : undefined;
  };
  return {
    async create(d) {
      await pool.query(
        `INSERT INTO deliveries (id, contact_id, channel, recipient, destination, provider, provider_message_id, code_number, reason, status, error_code, error_text, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [d.id, d.contactId, d.channel, d.recipient, d.destination, d.provider, d.providerMessageId, d.codeNumber, d.reason, d.status, d.errorCode, d.errorText, d.createdAt, d.updatedAt],
      );
    },
    findById: (id) => one('SELECT * FROM deliveries WHERE id = $1', [id]),
    findByProviderId: (provider, providerMessageId) => one('SELECT * FROM deliveries WHERE provider = $1 AND provider_message_id = $2', [provider, providerMessageId]),
    // One statement, where a transaction took four round trips: the CTE locks the row and reads
    // whether the change moves it forward (the statuses it may replace, from `movesForward`); the
    // UPDATE then writes that locked version. Two webhooks for one message, on any instances, take
    // turns on the lock. A change that does not move the row still fills in a provider message id it lacks.
    async advance(id, change) {
      const { rows } = await pool.query<{ forward: boolean }>(
        `WITH current AS (SELECT id, status = ANY($8::text[]) AS forward FROM deliveries WHERE id = $1 FOR UPDATE)
         UPDATE deliveries d SET
           status = CASE WHEN current.forward THEN $2 ELSE d.status END,
           updated_at = CASE WHEN current.forward THEN $3 ELSE d.updated_at END,
           provider = coalesce($4, d.provider), provider_message_id = coalesce($5, d.provider_message_id),
           error_code = CASE WHEN current.forward THEN coalesce($6, d.error_code) ELSE d.error_code END,
           error_text = CASE WHEN current.forward THEN coalesce($7, d.error_text) ELSE d.error_text END
         FROM current
         WHERE d.id = current.id AND (current.forward OR ($5::text IS NOT NULL AND d.provider_message_id IS NULL))
         RETURNING current.forward`,
        [id, change.status, change.at, change.provider ?? null, change.providerMessageId ?? null, change.errorCode ?? null, change.errorText ?? null, deliveryStatuses.filter((s) => movesForward(s, change.status))],
      );
      return rows[0]?.forward === true;
    },
  };
}

/** Opt-outs in PostgreSQL, one row per address. */
export function createPostgresOptOuts(pool: pg.Pool): OptOutStore {
  return {
    async get(address) {
      const { rows } = await pool.query('SELECT * FROM opt_outs WHERE address = $1', [address]);
      const r = rows[0];
      return r && toOptOut(r);
    },
    async set(o) {
      await pool.query(
        `INSERT INTO opt_outs (address, channel, opted_out, source, detail, at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (address) DO UPDATE SET opted_out = excluded.opted_out, source = excluded.source, detail = excluded.detail, at = excluded.at`,
        [o.address, o.channel, o.optedOut, o.source, o.detail, o.at],
      );
    },
  };
}

/** Provider webhook event ids in PostgreSQL: the primary key lets one insert win, on any instance. */
export function createPostgresWebhookEvents(pool: pg.Pool, clock: Clock): WebhookEventStore {
  return {
    async firstSeen(provider, eventId) {
      const { rowCount } = await pool.query('INSERT INTO webhook_events (provider, event_id, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [provider, eventId, clock.now()]);
      return rowCount === 1;
    },
  };
}
