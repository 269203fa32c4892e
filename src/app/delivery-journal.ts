// Journals acknowledged webhooks until they are processed, so that a crash between acknowledgement and processing loses none.
import type { Database } from "../store/database.js";
import type { DeliveryStore } from "../store/deliveries.js";

export interface PendingDelivery {
  id: string;
  event: string;
  /** The raw JSON body as GitHub sent it. */
  payload: string;
  receivedAt: number;
  /** When a worker last started processing it (null: never started). */
  startedAt: number | null;
  /** How many times processing started. */
  attempts: number;
}

export interface NewDelivery {
  id: string;
  event: string;
  payload: string;
  receivedAt: number;
}

interface PendingRow {
  id: string;
  event: string;
  payload: string;
  received_at: number;
  started_at: number | null;
  attempts: number;
}

function toEntry(row: Omit<PendingRow, "payload">): Omit<PendingDelivery, "payload"> {
  return {
    id: row.id,
    event: row.event,
    receivedAt: row.received_at,
    startedAt: row.started_at,
    attempts: row.attempts,
  };
}

export class DeliveryJournal {
  private readonly insert;
  private readonly start;
  private readonly remove;
  private readonly list;
  private readonly one;
  private readonly acceptAll;

  constructor(database: Database, deliveries: DeliveryStore) {
    database.exec(`
      CREATE TABLE IF NOT EXISTS app_pending_deliveries (
        id TEXT PRIMARY KEY,
        event TEXT NOT NULL,
        payload TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        started_at INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0
      );
    `);
    this.insert = database.prepare<[string, string, string, number]>(
      "INSERT INTO app_pending_deliveries (id, event, payload, received_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
    );
    this.start = database.prepare<[number, string]>(
      "UPDATE app_pending_deliveries SET started_at = ?, attempts = attempts + 1 WHERE id = ?",
    );
    this.remove = database.prepare<[string]>("DELETE FROM app_pending_deliveries WHERE id = ?");
    this.list = database.prepare<[], Omit<PendingRow, "payload">>(
      "SELECT id, event, received_at, started_at, attempts FROM app_pending_deliveries ORDER BY received_at, rowid",
    );
    this.one = database.prepare<[string], PendingRow>(
      "SELECT id, event, payload, received_at, started_at, attempts FROM app_pending_deliveries WHERE id = ?",
    );
    // The dedupe record and the journal entry are written together: a delivery is either both or neither. Several
    // deliveries share one transaction (one commit) when they arrive together.
    this.acceptAll = database.transaction((batch: readonly NewDelivery[]): boolean[] =>
      batch.map((delivery) => {
        if (!deliveries.recordDelivery(delivery.id, delivery.event, delivery.receivedAt)) return false;
        this.insert.run(delivery.id, delivery.event, delivery.payload, delivery.receivedAt);
        return true;
      }),
    );
  }

  /**
   * Records new deliveries and journals them, all in one transaction; for each, in order, false when its id was
   * seen before (a redelivery).
   */
  acceptMany(deliveries: readonly NewDelivery[]): boolean[] {
    return this.acceptAll(deliveries);
  }

  markStarted(id: string, at: number): void {
    this.start.run(at, id);
  }

  /** Processing ended (whatever the outcome): the delivery leaves the journal. */
  finish(id: string): void {
    this.remove.run(id);
  }

  /** Deliveries acknowledged but not finished, oldest first, without their payloads (read those with `get`). */
  pending(): Array<Omit<PendingDelivery, "payload">> {
    return this.list.all().map(toEntry);
  }

  /** One journaled delivery, or undefined when it is not (or no longer) journaled. */
  get(id: string): PendingDelivery | undefined {
    const row = this.one.get(id);
    return row ? { ...toEntry(row), payload: row.payload } : undefined;
  }
}
