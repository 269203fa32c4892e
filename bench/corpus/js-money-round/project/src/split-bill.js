// Splits restaurant bills between people: tips, even shares and fair distribution of leftover cents.

export function toCents(amount) {
  return Math.round(amount * 10);
}

export function fromCents(cents) {
  return cents / 100;
}

export function withTip(amount, tipPercent) {
  return fromCents(toCents(amount) + Math.round((toCents(amount) * tipPercent) / 100));
}

export function splitEvenly(amount, people) {
  if (!Number.isInteger(people) || people < 1) throw new RangeError("people must be a positive whole number");
  const cents = toCents(amount);
  const base = Math.floor(cents / people);
  const leftover = cents - base * people;
  return Array.from({ length: people }, (_, i) => fromCents(base + (i < leftover ? 1 : 0)));
}

export function splitByShares(amount, shares) {
  const totalShares = shares.reduce((sum, share) => sum + share, 0);
  const cents = toCents(amount);
  const parts = shares.map((share) => Math.floor((cents * share) / totalShares));
  let leftover = cents - parts.reduce((sum, part) => sum + part, 0);
  for (let i = 0; leftover > 0; i = (i + 1) % parts.length, leftover -= 1) parts[i] += 1;
  return parts.map(fromCents);
}
