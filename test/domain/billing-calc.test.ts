import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { billableIntervals, parsePeriod, previousPeriod, usageLines } from '../../src/domain/billing-calc.js';
import { chargeCents, formatCents, monthsHundredths, parseScaled } from '../../src/domain/money.js';

const t = (s: string) => Date.parse(s);

describe('money', () => {
  it('parses and formats decimals exactly', () => {
    assert.equal(parseScaled('7', 4), 70000n);
    assert.equal(parseScaled('3.5', 4), 35000n);
    assert.equal(parseScaled('0.1234', 4), 1234n);
    assert.throws(() => parseScaled('1.23456', 4));
    assert.throws(() => parseScaled('abc', 4));
    assert.throws(() => parseScaled('-1', 4));
    assert.equal(formatCents(112255), '1122.55');
    assert.equal(formatCents(0), '0.00');
    assert.equal(formatCents(5), '0.05');
  });
  it("reproduces the seed's prorated upgrade: 2 users at 7 for 0.81 of November = 11.34", () => {
    // 11/6/2017 7:54:44 PM to the end of November: 24 days 4 h 5 min 16 s of 30 days = 0.8057 → 0.81.
    const part = t('2017-12-01T00:00:00Z') - t('2017-11-06T19:54:44Z');
    assert.equal(monthsHundredths(part, 30 * 86_400_000), 81);
    assert.equal(chargeCents('7', 2, 81), 1134n);
    assert.equal(chargeCents('7', 20, 100), 14000n);
  });
  it('rounds a charge half up once, at the end', () => {
    // 3.50 × 29 × 0.95 = 96.425 → 96.43
    assert.equal(chargeCents('3.50', 29, 95), 9643n);
    // 0.1234 × 3 × 0.33 = 0.122166 → 0.12
    assert.equal(chargeCents('0.1234', 3, 33), 12n);
  });
});

describe('periods', () => {
  it('accepts only YYYY-MM months', () => {
    assert.deepEqual(parsePeriod('2026-02'), { name: '2026-02', start: t('2026-02-01T00:00:00Z'), end: t('2026-03-01T00:00:00Z') });
    assert.equal(parsePeriod('2026-13'), null);
    assert.equal(parsePeriod('2026-1'), null);
    assert.equal(parsePeriod('26-01'), null);
    assert.equal(previousPeriod(new Date('2026-01-15T00:00:00Z')).name, '2025-12');
    assert.equal(previousPeriod(new Date('2026-03-01T00:00:00Z')).name, '2026-02');
  });
});

describe('billable stretches and usage lines', () => {
  const april = parsePeriod('2026-04')!;
  it('bills only the days the service was paid and in service', () => {
    assert.deepEqual(billableIntervals(april, 'CertifiedSecure', []), [[april.start, april.end]]);
    assert.deepEqual(billableIntervals(april, 'TrialActive', []), []);
    assert.deepEqual(billableIntervals(april, null, [{ at: t('2026-04-10T00:00:00Z'), status: 'CertifiedSecure' }]), [[t('2026-04-10T00:00:00Z'), april.end]]);
    assert.deepEqual(
      billableIntervals(april, 'CertifiedSecure', [
        { at: t('2026-04-11T00:00:00Z'), status: 'AccountSuspended' },
        { at: t('2026-04-21T00:00:00Z'), status: 'CertifiedSecure' },
        { at: t('2026-04-26T00:00:00Z'), status: 'AccountCancelled' },
      ]),
      [
        [april.start, t('2026-04-11T00:00:00Z')],
        [t('2026-04-21T00:00:00Z'), t('2026-04-26T00:00:00Z')],
      ],
    );
  });
  it('gives a Renewal at the starting count and an Upgrade for each rise above the highest count billed', () => {
    const changes = [
      { changedAt: '2026-04-06T19:54:44.000Z', newCount: 31 },
      { changedAt: '2026-04-20T00:00:00.000Z', newCount: 30 },
      { changedAt: '2026-04-22T00:00:00.000Z', newCount: 31 },
      { changedAt: '2026-04-25T00:00:00.000Z', newCount: 33 },
    ];
    const lines = usageLines(april, [[april.start, april.end]], () => 29, changes);
    assert.deepEqual(
      lines.map((l) => [l.type, l.committedUsage, l.currentUsage, l.usageChange, l.monthsHundredths]),
      [
        ['Renewal', 29, 29, 29, 100],
        ['Upgrade', 29, 31, 2, 81], // 24d 4h 5m 16s of 30 days
        // the drop to 30 and the climb back to 31 stay within what was already billed
        ['Upgrade', 31, 33, 2, 20], // 6 of 30 days
      ],
    );
  });
});
