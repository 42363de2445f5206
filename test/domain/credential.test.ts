import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../helpers/stores.js';
import type { TestEnv } from '../helpers/context.js';
import { withFixtureEnv, type Fixture } from '../helpers/fixture.js';
import { issueCredential, lookupApiKey, lookupByPublicId, openAppKey, openSecret, revokeCredential, isRegisteredAppId } from '../../src/domain/credential.js';
import { SecretBox, safeEqual, hashSecret } from '../../src/domain/secrets.js';
import { systemActor } from '../../src/domain/principal.js';
import { DomainError, ErrorCode } from '../../src/domain/errors.js';

describe('secret box', () => {
  it('round-trips and refuses tampering or a wrong key', () => {
    const box = new SecretBox(SecretBox.generateKey());
    const sealed = box.encrypt('QHOvchm/40czXhJ1OxfxK7jDHr3t');
    assert.ok(!sealed.includes('QHOvchm'));
    assert.equal(box.decrypt(sealed), 'QHOvchm/40czXhJ1OxfxK7jDHr3t');
    assert.notEqual(box.encrypt('same'), box.encrypt('same'));
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64');
    assert.throws(() => box.decrypt(parts.join('.')));
    assert.throws(() => new SecretBox(SecretBox.generateKey()).decrypt(sealed));
  });
  it('compares in constant time and by value', () => {
    assert.equal(safeEqual('abc', 'abc'), true);
    assert.equal(safeEqual('abc', 'abd'), false);
    assert.equal(safeEqual('abc', 'abcd'), false);
    assert.equal(hashSecret('x').length, 64);
  });
});

for (const kind of STORE_KINDS) {
  describe(`credentials on ${kind}`, storeSuiteOptions(kind), () => {
    let env: TestEnv;
    let fx: Fixture;
    withFixtureEnv(kind, (e, f) => ((env = e), (fx = f)));

    it('finds a Rackspace or Mimecast credential by its public id and opens its secrets', async () => {
      const r = await lookupByPublicId(env.ctx, 'rackspace', fx.resellerAdminA.rackspace.userKey);
      assert.equal(r.status, 'ok');
      if (r.status !== 'ok') return;
      assert.equal(r.actor.email, 'admin@reseller-a.example');
      assert.equal(r.actor.accountGuid, fx.resellerA.guid);
      assert.equal(openSecret(env.ctx, r.credential), fx.resellerAdminA.rackspace.secretKey);
      const m = await lookupByPublicId(env.ctx, 'mimecast', fx.provisioning.mimecast.accessKey);
      assert.equal(m.status, 'ok');
      if (m.status !== 'ok') return;
      assert.equal(openSecret(env.ctx, m.credential), fx.provisioning.mimecast.secretKey);
      assert.equal(openAppKey(env.ctx, m.credential), fx.provisioning.mimecast.appKey);
      assert.equal(await isRegisteredAppId(env.ctx, fx.provisioning.mimecast.appId), true);
      assert.equal(await isRegisteredAppId(env.ctx, '00000000-0000-0000-0000-000000000000'), false);
      // Kinds do not cross: a Rackspace user key is not a Mimecast access key.
      assert.equal((await lookupByPublicId(env.ctx, 'mimecast', fx.resellerAdminA.rackspace.userKey)).status, 'unknown');
    });

    it('stores CCC keys only as a hash and finds them by the key', async () => {
      const row = await env.ctx.db.selectFrom('credentials').selectAll().where('kind', '=', 'ccc').where('principal_guid', '=', fx.reader.principal.guid).executeTakeFirstOrThrow();
      assert.equal(row.secret_sealed, null);
      assert.equal(row.secret_hash, hashSecret(fx.reader.ccc.apiKey));
      const found = await lookupApiKey(env.ctx, fx.reader.ccc.apiKey);
      assert.equal(found.status === 'ok' && found.actor.email, 'reader@partner.example');
      assert.equal((await lookupApiKey(env.ctx, fx.reader.ccc.apiKey + 'x')).status, 'unknown');
    });

    it('reports revoked and expired credentials as expired', async () => {
      const issued = await issueCredential(env.ctx, systemActor(), fx.reader.principal.guid, 'rackspace', { expiresAt: '2026-03-02T11:00:00.000Z' });
      const userKey = (issued.secrets as { userKey: string }).userKey;
      assert.equal((await lookupByPublicId(env.ctx, 'rackspace', userKey)).status, 'ok');
      env.clock.set('2026-03-02T11:00:00.000Z');
      assert.equal((await lookupByPublicId(env.ctx, 'rackspace', userKey)).status, 'expired');
      const other = await issueCredential(env.ctx, systemActor(), fx.reader.principal.guid, 'ccc');
      await revokeCredential(env.ctx, systemActor(), other.guid);
      assert.equal((await lookupApiKey(env.ctx, (other.secrets as { apiKey: string }).apiKey)).status, 'expired');
    });

    it('lets only an admin of the subtree manage credentials', async () => {
      await assert.rejects(
        issueCredential(env.ctx, fx.resellerAdminB.actor, fx.customerAdminA1.principal.guid, 'ccc'),
        (e: DomainError) => e.code === ErrorCode.NotFound,
      );
      const mine = await issueCredential(env.ctx, fx.resellerAdminA.actor, fx.customerAdminA1.principal.guid, 'ccc');
      assert.equal(mine.principalGuid, fx.customerAdminA1.principal.guid);
    });
  });
}
