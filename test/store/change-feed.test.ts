import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openTestStore, storeSuiteOptions, type TestStore } from '../helpers/stores.js';
import type { StoreChange } from '../../src/store/changes.js';

/**
 * settled(): a notice committed by another connection has reached the subscribers when it resolves, so a
 * test (or tool) can count what a cache reads without racing PostgreSQL's late delivery.
 */
describe('the change feed settles on postgres', storeSuiteOptions('postgres'), () => {
  let store: TestStore;
  const heard: StoreChange[] = [];
  let unsubscribe = () => {};
  before(async () => {
    store = await openTestStore('postgres');
    unsubscribe = store.store.changes.subscribe((c) => heard.push(c));
    await store.store.changes.ready();
  });
  after(async () => {
    unsubscribe();
    await store?.destroy();
  });

  it('delivers every notice committed before the call, and no change for its own marker', async () => {
    heard.length = 0;
    // One commit from another connection, announcing twenty changes; settled() right after it.
    await sql`select pg_notify('partnerhub:' || current_schema(), 'credentials:c' || (i - 1)) from generate_series(1, 20) as i`.execute(store.store.db);
    await store.store.changes.settled();
    assert.deepEqual(heard, Array.from({ length: 20 }, (_, i) => ({ table: 'credentials', guid: `c${i}` })));
    await store.store.changes.settled();
    assert.equal(heard.length, 20, 'the marker itself is not a change');
  });
});
