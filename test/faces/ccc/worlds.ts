/** The CCC face tests' shared worlds: a fresh app over a fresh store with the fixture tree and a story. */
import { after, before } from 'node:test';
import type { StoreKind } from '../../helpers/stores.js';
import { makeTestApp, TEST_START, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { DAY } from '../../../src/domain/clock.js';
import { inTransaction } from '../../../src/domain/context.js';
import { changeStatus, type ServiceStatus } from '../../../src/domain/status.js';
import { createAccount, findAccountUnscoped, updateAccount } from '../../../src/domain/account.js';
import { systemActor, type Actor } from '../../../src/domain/principal.js';

export interface CccWorld {
  t: TestApp;
  fx: Fixture;
}

export const T0 = Date.parse(TEST_START);
export const at = (days: number) => new Date(T0 + days * DAY).toISOString();

/**
 * The services world: a1 and a2 have primary domains, and two days after the start reseller B gets a
 * "Later Customer".
 */
export function servicesWorld(kind: StoreKind): CccWorld {
  const w = {} as CccWorld;
  before(async () => {
    w.t = await makeTestApp(kind);
    w.fx = await buildFixture(w.t.ctx);
    const { t, fx } = w;
    const system = systemActor('test');
    await updateAccount(t.ctx, system, fx.a1.guid, { primaryDomain: 'customer17.example' });
    await updateAccount(t.ctx, system, fx.a2.guid, { primaryDomain: 'customer39.example' });
    t.clock.advance(2 * DAY);
    await createAccount(t.ctx, system, { parentGuid: fx.resellerB.guid, kind: 'customer', name: 'Later Customer', primaryDomain: 'later.example' });
  });
  after(async () => w.t?.close());
  return w;
}

/** A status change made the way every face makes one. */
export async function move(t: TestApp, actor: Actor, guid: string, to: ServiceStatus) {
  const account = (await findAccountUnscoped(t.ctx, { guid }))!;
  return inTransaction(t.ctx, (trx) => changeStatus(trx, t.ctx, actor, account, to, { reason: 'test' }));
}

/** The status world: day 1 reseller A certifies a1; day 2 reseller B suspends b1; day 3 reseller A suspends a2. */
export function statusWorld(kind: StoreKind): CccWorld {
  const w = {} as CccWorld;
  before(async () => {
    w.t = await makeTestApp(kind);
    w.fx = await buildFixture(w.t.ctx);
    const { t, fx } = w;
    t.clock.set(at(1));
    await move(t, fx.resellerAdminA.actor, fx.a1.guid, 'CertifiedSecure');
    t.clock.set(at(2));
    await move(t, fx.resellerAdminB.actor, fx.b1.guid, 'AccountSuspended');
    t.clock.set(at(3));
    await move(t, fx.resellerAdminA.actor, fx.a2.guid, 'AccountSuspended');
  });
  after(async () => w.t?.close());
  return w;
}
