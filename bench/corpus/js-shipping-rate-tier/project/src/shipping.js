// Shipping quotes: zone base prices, weight surcharges and express multipliers.

const ZONES = {
  domestic: { base: 4.9, includedKg: 2, perKg: 1.1 },
  europe: { base: 9.5, includedKg: 1, perKg: 2.4 },
  world: { base: 19, includedKg: 1, perKg: 4.75 },
};

export class UnknownZoneError extends Error {
  constructor(zone) {
    super(`unknown shipping zone "${zone}"; expected one of ${Object.keys(ZONES).join(", ")}`);
    this.name = "UnknownZoneError";
  }
}

export function zoneFor(country) {
  if (country === "DE") return "domestic";
  if (["FR", "NL", "AT", "IT", "ES", "PL"].includes(country)) return "europe";
  return "world";
}

function roundCents(amount) {
  return Math.round(amount * 100) / 100;
}

export function surcharge(zone, weightKg) {
  const rates = ZONES[zone];
  if (!rates) throw new UnknownZoneError(zone);
  const extraKg = Math.max(0, Math.ceil(weightKg * rates.includedKg));
  return roundCents(extraKg * rates.perKg);
}

export function quote(zone, weightKg, { express = false } = {}) {
  const rates = ZONES[zone];
  if (!rates) throw new UnknownZoneError(zone);
  const standard = rates.base + surcharge(zone, weightKg);
  return roundCents(express ? standard * 1.5 : standard);
}
