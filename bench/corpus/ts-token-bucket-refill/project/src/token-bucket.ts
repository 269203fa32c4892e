// Token-bucket rate limiting for the public API; the clock is injected so callers control time.

export interface BucketOptions {
  capacity: number;
  refillPerSecond: number;
  now: () => number;
}

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(private readonly options: BucketOptions) {
    if (options.capacity <= 0 || options.refillPerSecond <= 0) {
      throw new RangeError("capacity and refill rate must be positive");
    }
    this.tokens = options.capacity;
    this.updatedAt = options.now();
  }

  private refill(): void {
    const now = this.options.now();
    const elapsedSeconds = (now - this.updatedAt) / 1000;
    this.tokens = this.tokens + elapsedSeconds * this.options.refillPerSecond;
    this.updatedAt = now;
  }

  tryTake(count = 1): boolean {
    this.refill();
    if (this.tokens < count) return false;
    this.tokens -= count;
    return true;
  }

  available(): number {
    this.refill();
    return Math.floor(this.tokens);
  }

  waitMs(count = 1): number {
    this.refill();
    if (this.tokens >= count) return 0;
    return Math.ceil(((count - this.tokens) / this.options.refillPerSecond) * 1000);
  }
}
