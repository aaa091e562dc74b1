import type pg from 'pg';
import type { Clock } from '../../clock.ts';
import { movesForward, type DeliveryLog, type DeliveryStatus, type OptOutStore, type WebhookEventStore } from '../deliveries.ts';
import { toDelivery, toOptOut } from '../rows.ts';
import { transaction } from './database.ts';

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
    // Read with the row locked, compared, written: two webhooks for one message, on any instances, take turns.
    advance: (id, change) =>
      transaction(pool, async (client) => {
        const { rows } = await client.query<{ status: DeliveryStatus; provider: string | null; provider_message_id: string | null }>(
          'SELECT status, provider, provider_message_id FROM deliveries WHERE id = $1 FOR UPDATE',
          [id],
        );
        const current = rows[0];
        if (!current) return false;
        if (!movesForward(current.status, change.status)) {
          if (change.providerMessageId && !current.provider_message_id) {
            await client.query('UPDATE deliveries SET provider = $2, provider_message_id = $3 WHERE id = $1', [id, change.provider ?? current.provider, change.providerMessageId]);
          }
          return false;
        }
        await client.query(
          `UPDATE deliveries SET status = $2, updated_at = $3,
             provider = coalesce($4, provider), provider_message_id = coalesce($5, provider_message_id),
             error_code = coalesce($6, error_code), error_text = coalesce($7, error_text)
           WHERE id = $1`,
          [id, change.status, change.at, change.provider ?? null, change.providerMessageId ?? null, change.errorCode ?? null, change.errorText ?? null],
        );
        return true;
      }),
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
