import type Database from 'better-sqlite3';
import type { Clock } from '../../clock.ts';
import type { WebhookEventStore } from '../deliveries.ts';

/** Provider webhook event ids in SQLite: the primary key makes the first insert the only one. */
export function createSqliteWebhookEvents(db: Database.Database, clock: Clock): WebhookEventStore {
  const insert = db.prepare('INSERT OR IGNORE INTO webhook_events (provider, event_id, at) VALUES (?, ?, ?)');
  return {
    async firstSeen(provider, eventId) {
      return insert.run(provider, eventId, clock.now()).changes === 1;
    },
  };
}
