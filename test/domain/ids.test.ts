import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newGuid, TimeOrderedGuids, withGuidSource } from '../../src/domain/ids.js';

describe('time-ordered GUIDs', () => {
  it('are version-7 GUIDs that sort in the order they were made, also past 4,096 in one millisecond', () => {
    const source = new TimeOrderedGuids();
    const made = Array.from({ length: 20_000 }, () => source.next());
    for (const g of made) {
      assert.match(g, /^[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$/, g);
    }
    assert.deepEqual([...made].sort(), made, 'made in order, sorted in order');
    assert.equal(new Set(made).size, made.length);
    // The leading 48 bits are the time in milliseconds (at most a few ahead after counter overflows).
    const ms = parseInt(made[0].slice(0, 12), 16);
    assert.ok(Math.abs(ms - Date.now()) < 60_000, `${ms} is now`);
  });

  it('serve newGuid() inside withGuidSource, and random GUIDs outside it', async () => {
    const source = new TimeOrderedGuids();
    const inside = await withGuidSource(source, async () => [newGuid(), newGuid()]);
    assert.ok(inside[0] < inside[1]);
    assert.equal(inside[0][12], '7');
    assert.equal(newGuid()[12], '4');
  });
});
