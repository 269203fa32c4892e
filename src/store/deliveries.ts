// Remembers GitHub webhook delivery ids so that a redelivered webhook is handled once.
import { type Database, guardStore } from "./database.js";

export class DeliveryStore {
  private readonly insert;
  private readonly prune;

  constructor(private readonly database: Database) {
    this.insert = database.prepare<[string, string, number]>(
      "INSERT INTO deliveries (id, event, received_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
    );
    this.prune = database.prepare<[number]>("DELETE FROM deliveries WHERE received_at < ?");
  }

  /** Records a delivery; false when this id was already recorded (a redelivery to ignore). */
  recordDelivery(id: string, event: string, receivedAt: number): boolean {
    return guardStore(this.database, "writing", () => this.insert.run(id, event, receivedAt).changes === 1);
  }

  /** Forgets deliveries received before `beforeMs`; returns how many were removed. */
  pruneOlderThan(beforeMs: number): number {
    return guardStore(this.database, "writing", () => this.prune.run(beforeMs).changes);
  }
}
