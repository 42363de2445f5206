import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { authorize, hasAction, sees, systemActor, ROLE_ACTIONS, createPrincipal, listPrincipals, type Actor, type Role, type Action } from '../../src/domain/principal.js';
import { DomainError, ErrorCode } from '../../src/domain/errors.js';
import { STORE_KINDS, storeSuiteOptions } from '../helpers/stores.js';
import type { TestEnv } from '../helpers/context.js';
import { withFixtureEnv, type Fixture } from '../helpers/fixture.js';

const actor = (roles: Role[], accountPath = '/p/r/'): Actor => ({ guid: 'g', email: 'e@x.example', name: 'n', accountGuid: 'r', accountPath, roles });

describe('permissions', () => {
  const expectations: Record<Role, Partial<Record<Action, boolean>>> = {
    partner_provisioning: { 'account.create': true, 'account.update': true, 'account.status': false, 'account.delete': false, 'login_token.create': false },
    account_read: { 'account.read': true, 'account.support.read': true, 'account.update': false, 'account.create': false, 'contact.manage': false },
    reseller_admin: { 'account.status': true, 'account.delete': true, 'login_token.create': true, 'contact.manage': true, 'principal.manage': true },
    customer_admin: { 'account.read': true, 'contact.manage': true, 'account.create': false, 'account.delete': false, 'account.status': false },
  };
  for (const [role, actions] of Object.entries(expectations) as [Role, Partial<Record<Action, boolean>>][]) {
    it(`gives ${role} exactly its actions`, () => {
      for (const [action, allowed] of Object.entries(actions) as [Action, boolean][]) {
        assert.equal(hasAction(actor([role]), action), allowed, `${role} ${action}`);
        assert.equal(ROLE_ACTIONS[role].includes(action), allowed);
      }
    });
  }
  it('hides accounts outside the subtree as not found, and refuses missing roles as forbidden', () => {
    const a = actor(['account_read']);
    assert.throws(() => authorize(a, 'account.read', { path: '/p/other/' }), (e: DomainError) => e.code === ErrorCode.NotFound);
    assert.throws(() => authorize(a, 'account.read', { path: '/p/' }), (e: DomainError) => e.code === ErrorCode.NotFound);
    assert.throws(() => authorize(a, 'account.delete', { path: '/p/r/c/' }), (e: DomainError) => e.code === ErrorCode.Forbidden);
    assert.doesNotThrow(() => authorize(a, 'account.read', { path: '/p/r/c/' }));
    assert.equal(sees(a, { path: '/p/r/' }), true);
    assert.equal(sees(a, { path: '/p/rx/' }), false);
  });
  it('lets the system act everywhere', () => {
    assert.doesNotThrow(() => authorize(systemActor(), 'account.delete', { path: '/anything/' }));
  });
});

for (const kind of STORE_KINDS) {
  describe(`principals on ${kind}`, storeSuiteOptions(kind), () => {
    let env: TestEnv;
    let fx: Fixture;
    withFixtureEnv(kind, (e, f) => ((env = e), (fx = f)));

    it('validates new principals', async () => {
      await assert.rejects(
        createPrincipal(env.ctx, systemActor(), { accountGuid: fx.a1.guid, email: 'bad', name: 'x', roles: ['customer_admin'] }),
        (e: DomainError) => e.code === ErrorCode.Validation && e.details.fields?.[0].field === 'email',
      );
      await assert.rejects(
        createPrincipal(env.ctx, systemActor(), { accountGuid: fx.a1.guid, email: 'ok@x.example', name: 'x', roles: ['superuser'] }),
        (e: DomainError) => e.code === ErrorCode.Validation && e.details.fields?.[0].field === 'roles',
      );
      await assert.rejects(
        createPrincipal(env.ctx, systemActor(), { accountGuid: fx.a1.guid, email: 'ADMIN@a1.example', name: 'dup', roles: ['customer_admin'] }),
        (e: DomainError) => e.code === ErrorCode.Conflict,
      );
    });

    it('lets a reseller admin add principals only inside its subtree', async () => {
      const p = await createPrincipal(env.ctx, fx.resellerAdminA.actor, { accountGuid: fx.a2.guid, email: 'new@a2.example', name: 'New', roles: ['customer_admin'] });
      assert.equal(p.accountGuid, fx.a2.guid);
      await assert.rejects(
        createPrincipal(env.ctx, fx.resellerAdminA.actor, { accountGuid: fx.b1.guid, email: 'evil@b1.example', name: 'Evil', roles: ['customer_admin'] }),
        (e: DomainError) => e.code === ErrorCode.NotFound,
      );
      await assert.rejects(
        createPrincipal(env.ctx, fx.customerAdminA1.actor, { accountGuid: fx.a1.guid, email: 'more@a1.example', name: 'More', roles: ['customer_admin'] }),
        (e: DomainError) => e.code === ErrorCode.Forbidden,
      );
      const visible = await listPrincipals(env.ctx, fx.resellerAdminA.actor);
      assert.ok(visible.every((v) => [fx.resellerA.guid, fx.a1.guid, fx.a2.guid].includes(v.accountGuid)));
      assert.ok(visible.some((v) => v.email === 'new@a2.example'));
    });
  });
}
