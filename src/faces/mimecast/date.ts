/**
 * Reads `x-mc-date` for the freshness check. Clients send RFC 1123 dates with `UTC` (the seed samples),
 * `GMT` (.NET "R"), a local zone name (`EDT`), or a numeric offset; Java's `d` pattern drops the leading
 * zero of the day. The signature is checked over the raw header, so leniency here cannot weaken it.
 */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Offsets in minutes east of UTC for the zone names clients print. Ambiguous abbreviations (IST, CST in Asia) use the RFC 822 / most common meaning. */
const ZONES: Record<string, number> = {
  UT: 0, UTC: 0, GMT: 0, Z: 0, WET: 0,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
  AKST: -540, AKDT: -480, HST: -600, AST: -240, ADT: -180, NST: -210, NDT: -150,
  BST: 60, IST: 60, WEST: 60, CET: 60, CEST: 120, MET: 60, MEST: 120, EET: 120, EEST: 180, SAST: 120, MSK: 180,
  GST: 240, PKT: 300, SGT: 480, HKT: 480, AWST: 480, JST: 540, KST: 540, ACST: 570, ACDT: 630,
  AEST: 600, AEDT: 660, NZST: 720, NZDT: 780,
};

const PATTERN =
  /^\s*(?:[A-Za-z]{3,9},?\s+)?(\d{1,2})[\s-]+([A-Za-z]{3,9})[\s-]+(\d{2}|\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([A-Za-z]{1,5}|[+-]\d{2}:?\d{2})?\s*$/;

/** Milliseconds since the epoch, or null when the header is not a date this face understands. */
export function parseMimecastDate(raw: string): number | null {
  const m = PATTERN.exec(raw);
  if (!m) return null;
  const [, d, mon, y, hh, mm, ss, zone] = m;
  const month = MONTHS.indexOf(mon.slice(0, 3).toLowerCase());
  if (month < 0) return null;
  let year = Number(y);
  if (y.length === 2) year += year < 70 ? 2000 : 1900;
  const day = Number(d);
  const hour = Number(hh);
  const minute = Number(mm);
  const second = ss === undefined ? 0 : Number(ss);
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  let offset = 0;
  if (zone) {
    if (/^[+-]/.test(zone)) {
      const digits = zone.replace(':', '');
      const sign = digits[0] === '-' ? -1 : 1;
      offset = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
    } else {
      const z = ZONES[zone.toUpperCase()];
      if (z === undefined) return null;
      offset = z;
    }
  }
  const utc = Date.UTC(year, month, day, hour, minute, second);
  // Date.UTC rolls 31 Feb over into March: such a date is not a date.
  if (new Date(utc).getUTCDate() !== day) return null;
  return utc - offset * 60_000;
}
