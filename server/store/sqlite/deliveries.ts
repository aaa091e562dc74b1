import type Database from 'better-sqlite3';
import { movesForward, type DeliveryChange, type DeliveryLog, type DeliveryStatus } from '../deliveries.ts';
import { one } from './database.ts';
import { toDelivery } from '../rows.ts';
import type { WriteBatch } from './write-batch.ts';

/** The delivery log in SQLite. */
export function createSqliteDeliveries(db: Database.Database, batch: WriteBatch): DeliveryLog {
  const q = {
    insert: db.prepare(
      `INSERT INTO deliveries (id, contact_id, channel, recipient, destination, provider, provider_message_id, code_number, reason, status, error_code, error_text, created_at, updated_at)
       VALUES (@id, @contactId, @channel, @recipient, @destination, @provider, @providerMessageId, @codeNumber, @reason, @status, @errorCode, @errorText, @createdAt, @updatedAt)`,
    ),
    byId: db.prepare('SELECT * FROM deliveries WHERE id = ?'),
    byProviderId: db.prepare('SELECT * FROM deliveries WHERE provider = ? AND provider_message_id = ?'),
    update: db.prepare(
      `UPDATE deliveries SET status = @status, updated_at = @at,
         provider = coalesce(@provider, provider), provider_message_id = coalesce(@providerMessageId, provider_message_id),
         error_code = coalesce(@errorCode, error_code), error_text = coalesce(@errorText, error_text)
       WHERE id = @id`,
    ),
    fillIds: db.prepare('UPDATE deliveries SET provider = @provider, provider_message_id = @providerMessageId WHERE id = @id'),
  };
  // Read, compare and write in one transaction: two webhooks for one message cannot interleave.
  const advance = db.transaction((id: string, change: DeliveryChange) => {
    const current = one(q.byId, id);
    if (!current) return false;
    if (!movesForward(current.status as DeliveryStatus, change.status)) {
      if (change.providerMessageId && !current.provider_message_id) {
        q.fillIds.run({ id, provider: change.provider ?? current.provider, providerMessageId: change.providerMessageId });
      }
      return false;
    }
    q.update.run({ provider: null, providerMessageId: null, errorCode: null, errorText: null, ...change, id });
    return true;
  });

  return {
    async create(d) {
      await batch.write(() => q.insert.run(d));
    },
    async findById(id) {
      const r = one(q.byId, id);
      return r && toDelivery(r);
    },
    async findByProviderId(provider, providerMessageId) {
      const r = one(q.byProviderId, provider, providerMessageId);
      return r && toDelivery(r);
    },
    async advance(id, change) {
      return batch.write(() => advance(id, change));
    },
  };
}
