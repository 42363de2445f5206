import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseOptions } from '../../bench/options.js';
import { billingTable, previousMonth, type BillingRow } from '../../bench/billing.js';

/** The billing suite's pure parts: its flags, the month it bills by default, and the row it prints. */
describe('bench billing suite', () => {
  it('parses --billing-store and --billing-period, and refuses a period that is not a month', () => {
    const o = parseOptions(['--suite', 'billing', '--billing-store', '/tmp/b1,/tmp/pg=postgres://u@h/db?schema=s', '--billing-period', '2026-11']);
    assert.deepEqual(o.suites, ['billing']);
    assert.deepEqual(
      o.billingStores.map((s) => [s.kind, s.dataDir, s.databaseUrl]),
      [
        ['sqlite', '/tmp/b1', '/tmp/b1/partnerhub.db'],
        ['postgres', '/tmp/pg', 'postgres://u@h/db?schema=s'],
      ],
    );
    assert.equal(o.billingPeriod, '2026-11');
    assert.equal(parseOptions([]).billingPeriod, null);
    assert.throws(() => parseOptions(['--billing-period', '2026-13']), /--billing-period/);
    assert.throws(() => parseOptions(['--billing-period', 'last']), /--billing-period/);
  });

  it('bills the month before the present one by default, across a year end', () => {
    assert.equal(previousMonth(new Date('2026-12-01T00:00:00Z')), '2026-11');
    assert.equal(previousMonth(new Date('2027-01-31T23:59:59Z')), '2026-12');
  });

  it('prints a store’s run and both CSVs, and dashes for what was not measured', () => {
    const row: BillingRow = {
      store: 'SQLite `/tmp/b`',
      customers: 1_000_000,
      period: '2026-11',
      invoices: 2,
      lines: 1_799_904,
      run: { wallS: 160.1, cpuS: 70.5, peakRss: 300 * 2 ** 20 },
      csv: { invoiceId: 26, lines: 899_443, bytes: 124_089_022, cli: { wallS: 29.5, cpuS: null, peakRss: 135 * 2 ** 20 }, server: null },
    };
    const table = billingTable([row]);
    const cells = table.split('\n')[2].split('|').map((c) => c.trim());
    assert.deepEqual(cells.slice(1, 6), ['SQLite `/tmp/b`', '1,000,000', '2026-11', '2', '1,799,904']);
    assert.match(cells[6], /^160\.1 s \(CPU 70\.5 s\)$/);
    assert.match(cells[9], /^29\.5 s \(CPU —\)$/);
    assert.deepEqual(cells.slice(11, 13), ['—', '—']);
  });
});
