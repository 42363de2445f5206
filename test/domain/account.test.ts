import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../helpers/stores.js';
import type { TestEnv } from '../helpers/context.js';
import { withFixtureEnv, type Fixture } from '../helpers/fixture.js';
import {
  createAccount,
  deleteAccount,
  findAccount,
  listAccounts,
  updateAccount,
  validateAccountFields,
} from '../../src/domain/account.js';
import { statusHistory } from '../../src/domain/status.js';
import { systemActor } from '../../src/domain/principal.js';
import { DomainError, ErrorCode } from '../../src/domain/errors.js';
import { queryAudit } from '../../src/domain/audit.js';

describe('account field validation', () => {
  const msg = (input: Record<string, unknown>, mode: 'create' | 'update' = 'create') =>
    validateAccountFields(input as any, mode).map((p) => p.message);
  it('requires a name on create only', () => {
    assert.deepEqual(msg({}), ['Missing required field: name']);
    assert.deepEqual(msg({}, 'update'), []);
    assert.deepEqual(msg({ name: null }, 'update'), ['Missing required field: name']);
  });
  it('rejects blank, padded and long names with the documented messages', () => {
    assert.deepEqual(msg({ name: '   ' }), ['Required field name cannot be empty']);
    assert.deepEqual(msg({ name: '' }), ['Required field name cannot be empty']);
    assert.deepEqual(msg({ name: ' Acme' }), ['Improper Customer Name: cannot begin or end with a space']);
    assert.deepEqual(msg({ name: 'Acme\t' }), ['Improper Customer Name: cannot begin or end with a space']);
    assert.deepEqual(msg({ name: 'x'.repeat(100) }), []);
    assert.deepEqual(msg({ name: 'x'.repeat(101) }), ['Name too long: 100 characters or fewer']);
  });
  it('limits reference numbers to 20 characters', () => {
    assert.deepEqual(msg({ name: 'A', referenceNumber: '1'.repeat(20) }), []);
    assert.deepEqual(msg({ name: 'A', referenceNumber: '1'.repeat(21) }), ['Reference number too long: 20 characters or fewer']);
  });
  it('refuses U+0000 in any field (PostgreSQL cannot store it)', () => {
    assert.deepEqual(validateAccountFields({ name: 'A', city: 'Aus\u0000tin' }, 'create'), [
      { field: 'city', problem: 'invalid', message: 'city cannot contain NUL characters' },
    ]);
    assert.equal(validateAccountFields({ name: 'A\u0000' }, 'update')[0]?.field, 'name');
  });
  it('checks e-mail fields and user counts', () => {
    assert.equal(validateAccountFields({ name: 'A', email: 'not-an-email' }, 'create')[0]?.problem, 'invalid_email');
    assert.equal(validateAccountFields({ name: 'A', userCount: -1 }, 'create')[0]?.field, 'userCount');
    assert.equal(validateAccountFields({ name: 'A', userCount: 1.5 }, 'create')[0]?.field, 'userCount');
  });
});

for (const kind of STORE_KINDS) {
  describe(`accounts on ${kind}`, storeSuiteOptions(kind), () => {
    let env: TestEnv;
    let fx: Fixture;
    withFixtureEnv(kind, (e, f) => ((env = e), (fx = f)));

    it('gives every account distinct identifiers of the documented shapes', () => {
      const all = [fx.partner, fx.resellerA, fx.resellerB, fx.a1, fx.a2, fx.b1];
      for (const a of all) {
        assert.match(a.guid, /^[0-9a-f]{32}$/);
        assert.match(a.accountNumber, /^\d{6,}$/);
        assert.match(a.accountCode, /^C[A-Z]{2}A\d+A\d+$/);
        assert.match(a.mimecastId, /^01-\d{4}-\d{5}$/);
        assert.ok(a.temporaryDomain.includes(a.accountNumber));
      }
      for (const key of ['guid', 'accountNumber', 'accountCode', 'mimecastId'] as const) {
        assert.equal(new Set(all.map((a) => a[key])).size, all.length, key);
      }
    });

    it('allocates unique identifiers under concurrent creation', async () => {
      const system = systemActor('test');
      const made = await Promise.all(
        Array.from({ length: 25 }, (_, i) => createAccount(env.ctx, system, { parentGuid: fx.resellerB.guid, kind: 'customer', name: `Concurrent ${i}` })),
      );
      assert.equal(new Set(made.map((a) => a.accountNumber)).size, 25);
      assert.equal(new Set(made.map((a) => a.accountCode)).size, 25);
      assert.equal(new Set(made.map((a) => a.mimecastId)).size, 25);
    });

    it('scopes every look-up to the principal subtree', async () => {
      const a = fx.resellerAdminA.actor;
      assert.equal((await findAccount(env.ctx, a, { accountNumber: fx.a1.accountNumber })).guid, fx.a1.guid);
      await assert.rejects(findAccount(env.ctx, a, { accountNumber: fx.b1.accountNumber }), (e: DomainError) => e.code === ErrorCode.NotFound);
      await assert.rejects(findAccount(env.ctx, a, { guid: fx.partner.guid }), (e: DomainError) => e.code === ErrorCode.NotFound);
      await assert.rejects(findAccount(env.ctx, a, { referenceNumber: 'B1-REF' }), (e: DomainError) => e.code === ErrorCode.NotFound);
      const customerAdmin = fx.customerAdminA1.actor;
      assert.equal((await findAccount(env.ctx, customerAdmin, { guid: fx.a1.guid })).name, 'API Customer 17');
      await assert.rejects(findAccount(env.ctx, customerAdmin, { guid: fx.a2.guid }), (e: DomainError) => e.code === ErrorCode.NotFound);
      // The partner sees the whole tree.
      assert.equal((await findAccount(env.ctx, fx.reader.actor, { accountCode: fx.b1.accountCode })).guid, fx.b1.guid);
    });

    it('lists only the children the caller may see', async () => {
      const page = await listAccounts(env.ctx, fx.resellerAdminA.actor, { childrenOf: fx.resellerA.guid, limit: 50, offset: 0 });
      assert.deepEqual(page.items.map((x) => x.name).sort(), ['API Customer 17', 'API Customer 39']);
      await assert.rejects(
        listAccounts(env.ctx, fx.resellerAdminA.actor, { childrenOf: fx.resellerB.guid, limit: 50, offset: 0 }),
        (e: DomainError) => e.code === ErrorCode.NotFound,
      );
      const search = await listAccounts(env.ctx, fx.reader.actor, { descendantsOf: fx.partner.guid, contains: 'customer 3', limit: 50, offset: 0 });
      assert.deepEqual(search.items.map((x) => x.name), ['API Customer 39']);
      const digits = await listAccounts(env.ctx, fx.reader.actor, { descendantsOf: fx.partner.guid, startsWith: { digit: true }, limit: 500, offset: 0 });
      // Every account number starts with a digit, so the reserved 0-9 search matches them all.
      assert.ok(digits.total >= 5);
      const names = async (startsWith: string) =>
        (await listAccounts(env.ctx, fx.resellerAdminA.actor, { childrenOf: fx.resellerA.guid, startsWith, limit: 50, offset: 0 })).items.map((x) => x.name);
      assert.deepEqual(await names('API CUSTOMER 1'), ['API Customer 17']);
      assert.deepEqual(await names('a1-'), ['API Customer 17']);
      assert.deepEqual(await names(fx.a2.accountNumber), ['API Customer 39']);
      assert.deepEqual(await names('2'), ['API Customer 39']);
      assert.deepEqual(await names('customer'), []);
      // A match in several columns is listed once.
      assert.deepEqual(await names('api'), ['API Customer 17', 'API Customer 39']);
      const paged = await listAccounts(env.ctx, fx.resellerAdminA.actor, { childrenOf: fx.resellerA.guid, startsWith: 'api', limit: 1, offset: 1 });
      assert.deepEqual([paged.total, paged.items.map((x) => x.name)], [2, ['API Customer 39']]);
    });

    it('enforces roles: read-only and provisioning principals cannot delete', async () => {
      await assert.rejects(updateAccount(env.ctx, fx.reader.actor, fx.a1.guid, { city: 'Nowhere' }), (e: DomainError) => e.code === ErrorCode.Forbidden);
      await assert.rejects(deleteAccount(env.ctx, fx.provisioning.actor, fx.a2.guid), (e: DomainError) => e.code === ErrorCode.Forbidden);
      await assert.rejects(
        createAccount(env.ctx, fx.customerAdminA1.actor, { parentGuid: fx.a1.guid, kind: 'customer', name: 'Nested' }),
        (e: DomainError) => e.code === ErrorCode.Forbidden,
      );
      await assert.rejects(
        createAccount(env.ctx, fx.resellerAdminA.actor, { parentGuid: fx.resellerB.guid, kind: 'customer', name: 'Poach' }),
        (e: DomainError) => e.code === ErrorCode.NotFound,
      );
      const made = await createAccount(env.ctx, fx.provisioning.actor, { parentGuid: fx.resellerA.guid, kind: 'customer', name: 'Provisioned' });
      assert.equal(made.status, 'TrialActive');
    });

    it('audits updates with before and after of changed fields only', async () => {
      env.clock.advance(1000);
      const updated = await updateAccount(env.ctx, fx.resellerAdminA.actor, fx.a2.guid, { city: 'Dallas', state: 'TX' });
      assert.equal(updated.city, 'Dallas');
      const entries = await queryAudit(env.ctx, { accountGuid: fx.a2.guid });
      const last = entries.at(-1)!;
      assert.equal(last.action, 'account.update');
      assert.equal(last.actorEmail, 'admin@reseller-a.example');
      assert.deepEqual(last.before, { city: 'Austin' });
      assert.deepEqual(last.after, { city: 'Dallas' });
    });

    it('deletes by cancelling: gone from look-ups, history kept', async () => {
      const system = systemActor('test');
      const doomed = await createAccount(env.ctx, system, { parentGuid: fx.resellerA.guid, kind: 'customer', name: 'Doomed', referenceNumber: 'DOOM' });
      await deleteAccount(env.ctx, fx.resellerAdminA.actor, doomed.guid);
      await assert.rejects(findAccount(env.ctx, fx.resellerAdminA.actor, { guid: doomed.guid }), (e: DomainError) => e.code === ErrorCode.NotFound);
      const history = await statusHistory(env.ctx, doomed.guid);
      assert.deepEqual(history.map((h) => [h.oldStatus, h.newStatus]), [[null, 'TrialActive'], ['TrialActive', 'AccountCancelled']]);
      assert.equal(history[1].changedByEmail, 'admin@reseller-a.example');
      const page = await listAccounts(env.ctx, fx.resellerAdminA.actor, { childrenOf: fx.resellerA.guid, contains: 'doom', limit: 50, offset: 0 });
      assert.equal(page.total, 0);
    });

    it('never leaves a live account below a deleted one when a delete and a creation race', async () => {
      const system = systemActor('test');
      for (let round = 0; round < 8; round++) {
        const parent = await createAccount(env.ctx, system, { parentGuid: fx.partner.guid, kind: 'reseller', name: `Racing Reseller ${round}` });
        const [deleted, created] = await Promise.allSettled([
          deleteAccount(env.ctx, system, parent.guid),
          createAccount(env.ctx, system, { parentGuid: parent.guid, kind: 'customer', name: `Racing Child ${round}` }),
        ]);
        // One of them must lose: either the delete sees the child, or the creation sees no parent.
        assert.ok(!(deleted.status === 'fulfilled' && created.status === 'fulfilled'), `round ${round}: both won`);
      }
    });

    it('refuses an invalid account without writing anything', async () => {
      const before = await queryAudit(env.ctx, {});
      await assert.rejects(
        createAccount(env.ctx, fx.resellerAdminA.actor, { parentGuid: fx.resellerA.guid, kind: 'customer', name: ' padded' }),
        (e: DomainError) => e.code === ErrorCode.Validation && e.message === 'Improper Customer Name: cannot begin or end with a space',
      );
      await assert.rejects(
        createAccount(env.ctx, fx.resellerAdminA.actor, { parentGuid: fx.resellerA.guid, kind: 'customer', name: 'Fine', productIds: [999999] }),
        (e: DomainError) => e.code === ErrorCode.Validation,
      );
      assert.equal((await queryAudit(env.ctx, {})).length, before.length);
      const page = await listAccounts(env.ctx, fx.resellerAdminA.actor, { childrenOf: fx.resellerA.guid, contains: 'fine', limit: 50, offset: 0 });
      assert.equal(page.total, 0);
    });
  });
}
