import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../helpers/stores.js';
import { makeTestEnv, type TestEnv } from '../helpers/context.js';
import { buildFixture, type Fixture } from '../helpers/fixture.js';
import { addContact, CONTACT_MESSAGES, deleteContact, getContact, listContacts, updateContact, validateContactInput, type ContactInput } from '../../src/domain/contact.js';
import { createAccount, type Account } from '../../src/domain/account.js';
import { systemActor } from '../../src/domain/principal.js';
import { DomainError, ErrorCode } from '../../src/domain/errors.js';
import { queryAudit } from '../../src/domain/audit.js';

const full = (over: Partial<Record<keyof ContactInput, unknown>> = {}): ContactInput => ({
  name: 'Best Contact',
  email: 'user@example.com',
  phone: '1235555555',
  receivesAlerts: false,
  receivesBilling: false,
  receivesUpdates: false,
  securityQuestion: 'Q',
  securityAnswer: 'A',
  ...over,
});

const rejects = (code: ErrorCode, message?: string) => (e: unknown) => {
  assert.ok(e instanceof DomainError, `expected a DomainError, got ${e}`);
  assert.equal(e.code, code);
  if (message !== undefined) assert.equal(e.message, message);
  return true;
};

describe('contact validation', () => {
  const first = (input: ContactInput, mode: 'create' | 'update' = 'create') => validateContactInput(input, mode).problems[0];
  it("reports the vendor's messages for name, e-mail, security question and answer", () => {
    assert.equal(first(full({ name: '' })).message, 'Contact name cannot be empty.');
    assert.equal(first(full({ name: '   ' })).message, 'Contact name cannot be empty.');
    assert.equal(first(full({ name: undefined })).message, 'Contact name cannot be empty.');
    assert.equal(first(full({ email: 'nope' })).message, 'Please enter a valid email address.');
    assert.equal(first(full({ email: undefined })).message, 'Please enter a valid email address.');
    assert.equal(first(full({ securityQuestion: '' })).message, 'Security question cannot be empty.');
    assert.equal(first(full({ securityAnswer: '' })).message, 'Security answer cannot be empty.');
    assert.deepEqual(validateContactInput(full(), 'create').problems, []);
  });
  it('reports name before e-mail before question before answer', () => {
    const problems = validateContactInput({ phone: '1' }, 'create').problems.map((p) => p.field);
    assert.deepEqual(problems.slice(0, 4), ['name', 'email', 'securityQuestion', 'securityAnswer']);
  });
  it('requires every field on create, only the present ones on update', () => {
    const fields = validateContactInput({}, 'create').problems.map((p) => p.field).sort();
    assert.deepEqual(fields, ['email', 'name', 'phone', 'receivesAlerts', 'receivesBilling', 'receivesUpdates', 'securityAnswer', 'securityQuestion']);
    assert.deepEqual(validateContactInput({ name: 'X' }, 'update').problems, []);
    assert.equal(first({ name: null }, 'update').message, 'Contact name cannot be empty.');
  });
  it('takes booleans as true/false or their strings, nothing else', () => {
    assert.equal(validateContactInput(full({ receivesBilling: 'true' }), 'create').fields.receivesBilling, true);
    assert.equal(validateContactInput(full({ receivesBilling: 'FALSE' }), 'create').fields.receivesBilling, false);
    assert.equal(first(full({ receivesBilling: 'yes' })).field, 'receivesBilling');
    assert.equal(first(full({ receivesAlerts: 1 })).field, 'receivesAlerts');
  });
});

for (const kind of STORE_KINDS) {
  describe(`contacts on ${kind}`, storeSuiteOptions(kind), () => {
    let env: TestEnv;
    let fx: Fixture;
    const system = systemActor('test');
    const opts = { contactLimit: 10 };
    let n = 0;
    const freshCustomer = async (): Promise<Account> =>
      createAccount(env.ctx, system, { parentGuid: fx.resellerA.guid, kind: 'customer', name: `Contact Customer ${++n}` });
    const key = (a: Account) => ({ accountNumber: a.accountNumber });
    before(async () => {
      env = await makeTestEnv(kind);
      fx = await buildFixture(env.ctx);
    });
    after(async () => env?.close());

    it('adds, reads, updates and deletes a contact', async () => {
      const actor = fx.customerAdminA1.actor;
      const c = await addContact(env.ctx, actor, key(fx.a1), full({ receivesBilling: true, receivesAlerts: true }), opts);
      assert.equal(c.accountNumber, fx.a1.accountNumber);
      assert.equal(c.isPrimary, true);
      assert.equal(c.securityAnswer, 'A');
      const got = await getContact(env.ctx, actor, key(fx.a1), String(c.id));
      assert.deepEqual(got, c);
      const second = await addContact(env.ctx, actor, key(fx.a1), full({ name: 'Second', email: 'second@example.com' }), opts);
      const updated = await updateContact(env.ctx, actor, key(fx.a1), second.id, { name: 'Renamed', securityAnswer: 'B', receivesUpdates: true });
      assert.equal(updated.name, 'Renamed');
      assert.equal(updated.securityAnswer, 'B');
      assert.equal(updated.receivesUpdates, true);
      assert.equal(updated.email, 'second@example.com');
      await deleteContact(env.ctx, actor, key(fx.a1), second.id);
      await assert.rejects(getContact(env.ctx, actor, key(fx.a1), second.id), rejects(ErrorCode.NotFound));
    });

    it('seals security answers and keeps them out of the audit log', async () => {
      const account = await freshCustomer();
      const secret = 'my first dog was called Rex';
      const c = await addContact(env.ctx, system, key(account), full({ securityAnswer: secret }), opts);
      await updateContact(env.ctx, system, key(account), c.id, { securityAnswer: secret + '!' });
      const row = await env.ctx.db.selectFrom('contacts').select('security_answer_sealed').where('id', '=', c.id).executeTakeFirstOrThrow();
      assert.ok(!row.security_answer_sealed.includes('Rex'));
      assert.equal(env.ctx.secrets.decrypt(row.security_answer_sealed), secret + '!');
      const audit = JSON.stringify(await queryAudit(env.ctx, { accountGuid: account.guid }));
      assert.ok(audit.includes('contact.create') && audit.includes('contact.update'));
      assert.ok(!audit.includes('Rex'), 'the audit log holds no security answer');
    });

    it('refuses a contact beyond the configured limit', async () => {
      const account = await freshCustomer();
      for (let i = 0; i < 3; i++) await addContact(env.ctx, system, key(account), full({ email: `u${i}@example.com` }), { contactLimit: 3 });
      await assert.rejects(addContact(env.ctx, system, key(account), full(), { contactLimit: 3 }), rejects(ErrorCode.LimitReached, 'Contact/Administrator limit reached.'));
      assert.equal((await listContacts(env.ctx, system, key(account))).total, 3);
      // The limit is the caller's setting, not a constant.
      await addContact(env.ctx, system, key(account), full(), { contactLimit: 4 });
    });

    it('reports each invalid field with its message and writes nothing', async () => {
      const account = await freshCustomer();
      const cases: [Partial<ContactInput>, string][] = [
        [{ name: '' }, CONTACT_MESSAGES.nameEmpty],
        [{ email: 'x@' }, CONTACT_MESSAGES.emailInvalid],
        [{ securityQuestion: ' ' }, CONTACT_MESSAGES.securityQuestionEmpty],
        [{ securityAnswer: '' }, CONTACT_MESSAGES.securityAnswerEmpty],
      ];
      for (const [over, message] of cases) {
        await assert.rejects(addContact(env.ctx, system, key(account), full(over), opts), rejects(ErrorCode.Validation, message));
      }
      const c = await addContact(env.ctx, system, key(account), full(), opts);
      await assert.rejects(updateContact(env.ctx, system, key(account), c.id, { email: 'bad' }), rejects(ErrorCode.Validation, CONTACT_MESSAGES.emailInvalid));
      assert.equal((await listContacts(env.ctx, system, key(account))).total, 1);
      assert.equal((await getContact(env.ctx, system, key(account), c.id)).email, 'user@example.com');
    });

    it('checks who may read and manage contacts', async () => {
      // account_read may read but not change; partner provisioning may neither.
      await listContacts(env.ctx, fx.reader.actor, key(fx.a1));
      await assert.rejects(addContact(env.ctx, fx.reader.actor, key(fx.a1), full(), opts), rejects(ErrorCode.Forbidden));
      await assert.rejects(listContacts(env.ctx, fx.provisioning.actor, key(fx.a1)), rejects(ErrorCode.Forbidden));
      // Outside the actor's subtree the account does not exist.
      await assert.rejects(listContacts(env.ctx, fx.resellerAdminB.actor, key(fx.a1)), rejects(ErrorCode.NotFound));
      await assert.rejects(addContact(env.ctx, fx.customerAdminA1.actor, key(fx.a2), full(), opts), rejects(ErrorCode.NotFound));
      // A forbidden actor learns nothing about the body either: authorization comes before validation.
      await assert.rejects(addContact(env.ctx, fx.reader.actor, key(fx.a1), {}, opts), rejects(ErrorCode.Forbidden));
    });

    it('reports unknown contacts, and contacts of another account, as not found', async () => {
      const other = await addContact(env.ctx, system, key(fx.b1), full(), opts);
      for (const id of ['999999', 'abc', '0', '-1', '1.5', String(other.id)]) {
        await assert.rejects(getContact(env.ctx, system, key(fx.a2), id), (e) => rejects(ErrorCode.NotFound)(e) && (e as DomainError).details.resource === 'contact');
        await assert.rejects(deleteContact(env.ctx, system, key(fx.a2), id), rejects(ErrorCode.NotFound));
        await assert.rejects(updateContact(env.ctx, system, key(fx.a2), id, { name: 'x' }), rejects(ErrorCode.NotFound));
      }
      await assert.rejects(listContacts(env.ctx, system, { accountNumber: '1' }), (e) => rejects(ErrorCode.NotFound)(e) && (e as DomainError).details.resource === 'account');
    });

    it('pages with size and offset, oldest first', async () => {
      const account = await freshCustomer();
      const ids: number[] = [];
      for (let i = 1; i <= 4; i++) ids.push((await addContact(env.ctx, system, key(account), full({ email: `user${i}@example.com` }), opts)).id);
      const all = await listContacts(env.ctx, system, key(account));
      assert.deepEqual([all.size, all.offset, all.total], [50, 0, 4]);
      assert.deepEqual(all.items.map((c) => c.id), ids);
      const page = await listContacts(env.ctx, system, key(account), { size: '2', offset: '2' });
      assert.deepEqual([page.size, page.offset, page.total], [2, 2, 4]);
      assert.deepEqual(page.items.map((c) => c.email), ['user3@example.com', 'user4@example.com']);
      assert.deepEqual((await listContacts(env.ctx, system, key(account), { size: 10, offset: 4 })).items, []);
      await assert.rejects(listContacts(env.ctx, system, key(account), { size: 'x' }), (e) => rejects(ErrorCode.Validation)(e) && (e as DomainError).details.fields?.[0].field === 'size');
      await assert.rejects(listContacts(env.ctx, system, key(account), { offset: '-1' }), (e) => rejects(ErrorCode.Validation)(e) && (e as DomainError).details.fields?.[0].field === 'offset');
    });

    it('keeps a billing and a primary contact through deletes and updates', async () => {
      const account = await freshCustomer();
      const k = key(account);
      const both = await addContact(env.ctx, system, k, full({ receivesBilling: true, receivesAlerts: true }), opts);
      const neither = await addContact(env.ctx, system, k, full({ email: 'n@example.com' }), opts);
      const invariant = rejects(ErrorCode.Validation, CONTACT_MESSAGES.invariant);
      await assert.rejects(deleteContact(env.ctx, system, k, both.id), invariant);
      await assert.rejects(updateContact(env.ctx, system, k, both.id, { receivesBilling: false }), invariant);
      await assert.rejects(updateContact(env.ctx, system, k, both.id, { receivesAlerts: 'false' }), invariant);
      // Other contacts come and go freely.
      await updateContact(env.ctx, system, k, neither.id, { receivesUpdates: true });
      await deleteContact(env.ctx, system, k, neither.id);
      // A second billing contact is not enough to delete the only primary one …
      const billing = await addContact(env.ctx, system, k, full({ email: 'b@example.com', receivesBilling: true }), opts);
      await assert.rejects(deleteContact(env.ctx, system, k, both.id), invariant);
      // … until a primary one exists too.
      const primary = await addContact(env.ctx, system, k, full({ email: 'p@example.com', receivesAlerts: true }), opts);
      await deleteContact(env.ctx, system, k, both.id);
      await assert.rejects(updateContact(env.ctx, system, k, billing.id, { receivesBilling: false }), invariant);
      await assert.rejects(updateContact(env.ctx, system, k, primary.id, { receivesAlerts: false }), invariant);
      // Moving a role from one contact to another works when it is done in the safe order.
      await updateContact(env.ctx, system, k, primary.id, { receivesBilling: true });
      await updateContact(env.ctx, system, k, billing.id, { receivesBilling: false });
      const left = (await listContacts(env.ctx, system, k)).items;
      assert.equal(left.filter((c) => c.receivesBilling).length, 1);
      assert.equal(left.filter((c) => c.isPrimary).length, 1);
    });

    it('keeps the invariant when deletes race', async () => {
      for (let round = 0; round < 3; round++) {
        const account = await freshCustomer();
        const k = key(account);
        const made = [];
        for (let i = 0; i < 3; i++) made.push(await addContact(env.ctx, system, k, full({ email: `r${i}@example.com`, receivesBilling: true, receivesAlerts: true }), opts));
        const results = await Promise.allSettled(made.map((c) => deleteContact(env.ctx, system, k, c.id)));
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 2);
        const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        assert.equal(refused.length, 1);
        assert.equal((refused[0].reason as DomainError).message, CONTACT_MESSAGES.invariant);
        const left = (await listContacts(env.ctx, system, k)).items;
        assert.equal(left.length, 1);
        assert.ok(left[0].receivesBilling && left[0].isPrimary);
      }
    });
  });
}
