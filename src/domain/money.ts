/**
 * Money without floats: amounts are integers of a fixed scale (cents for charges, ten-thousandths for
 * rates, hundredths for months) and products are BigInt, so a total is exactly the sum of its lines.
 * Native BigInt is enough for the one multiplication and rounding billing needs; no decimal library.
 */

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** "7.5" at scale 4 → 75000n. Throws on anything but a plain non-negative decimal with at most `scale` places. */
export function parseScaled(value: string, scale: number): bigint {
  const m = DECIMAL.exec(value.trim());
  if (!m || (m[2]?.length ?? 0) > scale) throw new Error(`not a decimal with at most ${scale} places: "${value}"`);
  return BigInt(m[1]) * 10n ** BigInt(scale) + BigInt((m[2] ?? '').padEnd(scale, '0') || '0');
}

/** 75000n at scale 4 → "7.50" (at least `minPlaces` decimals, trailing zeros beyond that dropped). */
export function formatScaled(value: bigint | number, scale: number, minPlaces = 2): string {
  const v = BigInt(value);
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const unit = 10n ** BigInt(scale);
  let frac = (abs % unit).toString().padStart(scale, '0');
  while (frac.length > minPlaces && frac.endsWith('0')) frac = frac.slice(0, -1);
  return `${neg ? '-' : ''}${abs / unit}${frac ? '.' + frac : ''}`;
}

export const RATE_SCALE = 4;

/** Cents as "1122.55". */
export function formatCents(cents: bigint | number): string {
  return formatScaled(cents, 2, 2);
}

/** Rounds n/d to the nearest integer, halves away from zero (n, d > 0). */
function divRound(n: bigint, d: bigint): bigint {
  return (2n * n + d) / (2n * d);
}

/**
 * Rate × Usage × Months = Charge, in cents, rounded half up once at the end. Months is in hundredths
 * (what the invoice prints), so a reader can redo the sum from the printed line.
 */
export function chargeCents(rate: string, usage: number, monthsHundredths: number): bigint {
  const rate4 = parseScaled(rate, RATE_SCALE);
  const product = rate4 * BigInt(usage) * BigInt(monthsHundredths); // dollars × 10^6
  return divRound(product, 10n ** 4n);
}

/** A part of a period as hundredths of a month, rounded half up: 24.17 days of a 30-day month → 81. */
export function monthsHundredths(partMs: number, periodMs: number): number {
  return Number(divRound(BigInt(partMs) * 100n, BigInt(periodMs)));
}
