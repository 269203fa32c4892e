// Groups the journal writes of webhooks that arrive in the same turn of the event loop into one SQLite transaction.
import type { DeliveryJournal, NewDelivery } from "./delivery-journal.js";

interface Waiting {
  delivery: NewDelivery;
  resolve: (accepted: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * `accept` resolves like `DeliveryJournal.accept` once the delivery is committed; the deliveries accepted before the
 * event loop's next check phase share one commit (under load, several webhooks per commit; alone, one).
 */
export class GroupedCommit {
  private waiting: Waiting[] = [];

  constructor(private readonly journal: Pick<DeliveryJournal, "acceptMany">) {}

  /** Deliveries given to `accept` and not yet committed. */
  get pending(): number {
    return this.waiting.length;
  }

  accept(delivery: NewDelivery): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ delivery, resolve, reject });
      if (this.waiting.length === 1) setImmediate(() => this.commit());
    });
  }

  private commit(): void {
    const batch = this.waiting;
    this.waiting = [];
    try {
      const accepted = this.journal.acceptMany(batch.map((entry) => entry.delivery));
      for (const [index, entry] of batch.entries()) entry.resolve(accepted[index] ?? false);
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  }
}
