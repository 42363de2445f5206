import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../helpers/stores.js';
import { makeTestEnv, type TestEnv } from '../helpers/context.js';
import { assertTransaction, inTransaction } from '../../src/domain/context.js';
import { recordAudit } from '../../src/domain/audit.js';
import { systemActor } from '../../src/domain/principal.js';
import { ErrorCode, type DomainError } from '../../src/domain/errors.js';
import { tallyStatements } from '../../src/store/tally.js';
import { createPrincipal } from '../../src/domain/principal.js';

for (const kind of STORE_KINDS) {
  describe(`one store handle per service on ${kind}`, storeSuiteOptions(kind), () => {
    let env: TestEnv;
    before(async () => {
      env = await makeTestEnv(kind);
    });
    after(async () => env?.close());

    it('assertTransaction refuses a plain handle and accepts a transaction', async () => {
      assert.throws(() => assertTransaction(env.ctx.db), (e: DomainError) => e.code === ErrorCode.Internal);
      await env.ctx.db.transaction().execute(async (trx) => assertTransaction(trx));
    });

    it('inTransaction joins the transaction a context already holds instead of opening another', async () => {
      const { tally } = await tallyStatements(() =>
        inTransaction(env.ctx, (trx) =>
          inTransaction({ ...env.ctx, db: trx }, async (inner) => {
            assert.equal(inner, trx);
            await recordAudit(inner, env.ctx, systemActor('test'), { action: 'test.nested', entityType: 'test', entityGuid: 'y', accountGuid: null, before: null, after: null });
          }),
        ),
      );
      assert.equal(tally.transactions, 1);
      assert.equal(tally.writes, 1);
    });

    it('a service that writes, called with a context holding a transaction, joins it: one change, one transaction', async () => {
      await assert.rejects(
        env.ctx.db.transaction().execute(async (trx) => {
          await createPrincipal({ ...env.ctx, db: trx }, systemActor('test'), { accountGuid: 'none', email: 'a@b.example', name: 'A', roles: ['account_read'] });
        }),
        (e: DomainError) => e.code === ErrorCode.NotFound,
      );
    });
  });
}
