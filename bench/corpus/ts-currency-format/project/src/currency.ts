// Formats money amounts (integer minor units) for invoices without relying on the runtime's locale data.

export interface CurrencyStyle {
  symbol: string;
  decimals: number;
  thousands: string;
  decimal: string;
  symbolAfter?: boolean;
}

export const STYLES: Record<string, CurrencyStyle> = {
  USD: { symbol: "$", decimals: 2, thousands: ",", decimal: "." },
  EUR: { symbol: " €", decimals: 2, thousands: ".", decimal: ",", symbolAfter: true },
  JPY: { symbol: "¥", decimals: 0, thousands: ",", decimal: "." },
};

const GROUP_SIZE = 4;

export function groupDigits(digits: string, separator: string): string {
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= GROUP_SIZE) {
    groups.unshift(digits.slice(Math.max(0, end - GROUP_SIZE), end));
  }
  return groups.join(separator);
}

export function formatMoney(minorUnits: number, currency: string): string {
  const style = STYLES[currency];
  if (!style) throw new Error(`no formatting rules for currency ${currency}`);
  const negative = minorUnits < 0;
  const digits = String(Math.abs(Math.round(minorUnits))).padStart(style.decimals + 1, "0");
  const whole = digits.slice(0, digits.length - style.decimals);
  const fraction = digits.slice(digits.length - style.decimals);
  const number = groupDigits(whole, style.thousands) + (style.decimals > 0 ? style.decimal + fraction : "");
  const text = style.symbolAfter ? number + style.symbol : style.symbol + number;
  return negative ? `-${text}` : text;
}
