import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { buildFixture, type Fixture } from '../../helpers/fixture.js';
import { queryAudit } from '../../../src/domain/audit.js';
import { call, xmlTree, UNTHROTTLED, type XmlTree } from './helpers.js';

/**
 * The Domain Spam and Rackspace Mailbox Spam resources through app.inject(): the vendor's defaults, edits in
 * form and JSON bodies, the show documents in JSON and XML (element by element against the wiki's examples),
 * each validation message, the four lists (add, duplicates, remove), scoping, audit, and spam rows going with
 * their domain or mailbox.
 */

const NS = { 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', 'xmlns:xsd': 'http://www.w3.org/2001/XMLSchema' };
const PASSWORD = 'Tr1cky!Horse';
const text = (name: string, value: string): XmlTree => ({ name, attrs: {}, text: value, children: [] });
/** An element the XML writes empty: the parser gives it no text. */
const empty = (name: string): XmlTree => ({ name, attrs: {}, children: [] });
const el = (name: string, children: XmlTree[]): XmlTree => ({ name, attrs: {}, children });
const tree = (xml: string) => JSON.parse(JSON.stringify(xmlTree(xml), (k, v) => (k === 'text' && v === '' ? undefined : v))) as XmlTree;

/** The wiki's JSON example of a domain's spam settings. */
const WIKI_DOMAIN_JSON = {
  filterLevel: 'on',
  rsEmailSettings: { spamHandling: 'toAddress', hasFolderCleaner: false, spamFolderAgeLimit: 0, spamFolderNumLimit: 0, spamForwardingAddress: 'someone@mail.com' },
  exchangeSettings: { forwardToDomainQuarantine: 'on', quarantineOwner: 'someone@mail.com', defaultQuarantineOwner: 'someone@mail.com' },
};

const DEFAULT_RS = { spamHandling: 'toFolder', hasFolderCleaner: false, spamFolderAgeLimit: 0, spamFolderNumLimit: 0, spamForwardingAddress: '' };

for (const kind of STORE_KINDS) {
  describe(`rackspace domain and mailbox spam on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    let a1: string;
    let domainPath: string;
    let mailboxPath: string;
    const asReseller = (o: Parameters<typeof call>[2]) => call(t, fx.resellerAdminA, o);
    const count = async (table: 'domain_spam_settings' | 'domain_spam_entries' | 'mailbox_spam_settings' | 'mailbox_spam_entries') =>
      Number((await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    before(async () => {
      t = await makeTestApp(kind, UNTHROTTLED);
      fx = await buildFixture(t.ctx);
      a1 = fx.a1.accountNumber;
      domainPath = `/v1/customers/${a1}/domains/spam53.example`;
      mailboxPath = `${domainPath}/rs/mailboxes/alex.smith`;
      assert.equal((await asReseller({ method: 'POST', path: domainPath, fields: { serviceType: 'rsemail' } })).status, 200);
      assert.equal((await asReseller({ method: 'POST', path: mailboxPath, fields: { password: PASSWORD } })).status, 200);
    });
    after(async () => t?.close());

    it('shows the vendor defaults when nothing is set: filter on, spam to the folder, empty lists', async () => {
      const d = await asReseller({ method: 'GET', path: `${domainPath}/spam/settings`, format: 'json' });
      assert.equal(d.status, 200, d.body);
      assert.deepEqual(d.json, { filterLevel: 'on', rsEmailSettings: DEFAULT_RS, exchangeSettings: { forwardToDomainQuarantine: 'off', quarantineOwner: '', defaultQuarantineOwner: '' } });
      const m = await asReseller({ method: 'GET', path: `${mailboxPath}/spam/settings`, format: 'json' });
      assert.deepEqual(m.json, { filterLevel: 'on', rsEmailSettings: DEFAULT_RS });
      for (const list of ['safelist', 'blocklist', 'ipsafelist', 'ipblocklist']) {
        for (const path of [domainPath, mailboxPath]) {
          const res = await asReseller({ method: 'GET', path: `${path}/spam/${list}`, format: 'json' });
          assert.deepEqual(res.json, { addresses: [] }, `${path} ${list}`);
        }
      }
      const xml = await asReseller({ method: 'GET', path: `${domainPath}/spam/blocklist`, format: 'xml' });
      assert.deepEqual(tree(xml.body), { name: 'blocklist', attrs: { ...NS, xmlns: 'urn:xml:blocklist' }, children: [empty('addresses')] });
    });

    it("edits a domain's settings with the wiki's form fields and shows them as the wiki's examples", async () => {
      const put = await asReseller({
        method: 'PUT',
        path: `${domainPath}/spam/settings`,
        fields: {
          filterLevel: 'on',
          'rsEmail.spamHandling': 'toAddress',
          'rsEmail.spamForwardingAddress': 'Someone@Mail.com',
          'exchange.forwardToDomainQuarantine': 'on',
          'exchange.quarantineOwner': 'someone@mail.com',
          'exchange.defaultQuarantineOwner': 'someone@mail.com',
        },
      });
      assert.equal(put.status, 200, put.body);
      assert.equal(put.body, '');
      const json = await asReseller({ method: 'GET', path: `${domainPath}/spam/settings`, format: 'json' });
      assert.equal(json.body, JSON.stringify(WIKI_DOMAIN_JSON));
      const xml = await asReseller({ method: 'GET', path: `${domainPath}/spam/settings`, format: 'xml' });
      assert.match(xml.headers['content-type'] ?? '', /text\/xml/);
      assert.deepEqual(tree(xml.body), {
        name: 'domainSpamSettings',
        attrs: { ...NS, xmlns: 'urn:xml:DomainSpamSettings' },
        children: [
          text('filterLevel', 'on'),
          el('rsEmailSettings', [
            text('spamHandling', 'toAddress'),
            text('hasFolderCleaner', 'false'),
            text('spamFolderAgeLimit', '0'),
            text('spamFolderNumLimit', '0'),
            text('spamForwardingAddress', 'someone@mail.com'),
          ]),
          el('exchangeSettings', [text('forwardToDomainQuarantine', 'on'), text('quarantineOwner', 'someone@mail.com'), text('defaultQuarantineOwner', 'someone@mail.com')]),
        ],
      });
      // A client may send back what it read, in the show document's shape: nothing changes.
      const back = await t.app.inject({ method: 'PUT', url: `${domainPath}/spam/settings`, headers: { ...(await signed()), 'content-type': 'application/json' }, payload: JSON.stringify(WIKI_DOMAIN_JSON) });
      assert.equal(back.statusCode, 200, back.body);
      assert.equal((await asReseller({ method: 'GET', path: `${domainPath}/spam/settings`, format: 'json' })).body, JSON.stringify(WIKI_DOMAIN_JSON));
    });

    it('reads a body shaped like the show document (XML), as .NET clients serialize it', async () => {
      const body = `<?xml version="1.0" encoding="utf-8"?><domainSpamSettings><filterLevel>exclusive</filterLevel><rsEmailSettings><spamHandling>toAddress</spamHandling><hasFolderCleaner>false</hasFolderCleaner><spamFolderAgeLimit>0</spamFolderAgeLimit><spamFolderNumLimit>0</spamFolderNumLimit><spamForwardingAddress>someone@mail.com</spamForwardingAddress></rsEmailSettings></domainSpamSettings>`;
      const res = await t.app.inject({ method: 'PUT', url: `${domainPath}/spam/settings`, headers: { ...(await signed()), 'content-type': 'text/xml' }, payload: body });
      assert.equal(res.statusCode, 200, res.body);
      const show = await asReseller({ method: 'GET', path: `${domainPath}/spam/settings`, format: 'json' });
      assert.equal((show.json as any).filterLevel, 'exclusive');
      assert.equal((show.json as any).exchangeSettings.forwardToDomainQuarantine, 'on', 'absent fields keep their value');
    });

    async function signed(): Promise<Record<string, string>> {
      const { signRackspaceRequest } = await import('../../../src/client/rackspace.js');
      const ua = 'Rackspace Management Interface';
      return { 'user-agent': ua, accept: 'application/json', 'x-api-signature': signRackspaceRequest({ ...fx.resellerAdminA.rackspace, userAgent: ua, at: t.clock.now() }) };
    }

    it("shows a mailbox without settings of its own with its domain's, until it has its own", async () => {
      const inherited = await asReseller({ method: 'GET', path: `${mailboxPath}/spam/settings`, format: 'json' });
      assert.deepEqual(inherited.json, { filterLevel: 'exclusive', rsEmailSettings: { ...DEFAULT_RS, spamHandling: 'toAddress', spamForwardingAddress: 'someone@mail.com' } });
      const put = await asReseller({
        method: 'PUT',
        path: `${mailboxPath}/spam/settings`,
        fields: { filterLevel: 'on', 'rsEmail.spamHandling': 'toFolder', 'rsEmail.hasFolderCleaner': false, 'rsEmail.spamFolderAgeLimit': 0, 'rsEmail.spamFolderNumLimit': 0 },
        bodyType: 'json',
      });
      assert.equal(put.status, 200, put.body);
      // The mailbox page's JSON example, key for key in its order (spamHandling last).
      const json = await asReseller({ method: 'GET', path: `${mailboxPath}/spam/settings`, format: 'json' });
      assert.equal(json.body, '{"filterLevel":"on","rsEmailSettings":{"hasFolderCleaner":false,"spamFolderAgeLimit":0,"spamFolderNumLimit":0,"spamForwardingAddress":"","spamHandling":"toFolder"}}');
      const xml = await asReseller({ method: 'GET', path: `${mailboxPath}/spam/settings`, format: 'xml' });
      assert.deepEqual(tree(xml.body), {
        name: 'rsMailboxSpamSetting',
        attrs: { ...NS, xmlns: 'urn:xml:RSMailboxSpamSetting' },
        children: [
          text('filterLevel', 'on'),
          el('rsEmailSettings', [text('spamHandling', 'toFolder'), text('hasFolderCleaner', 'false'), text('spamFolderAgeLimit', '0'), text('spamFolderNumLimit', '0'), empty('spamForwardingAddress')]),
        ],
      });
      // The domain's settings no longer reach it, unless the domain overrides its users' own settings.
      await asReseller({ method: 'PUT', path: `${domainPath}/spam/settings`, fields: { filterLevel: 'off' } });
      assert.equal(((await asReseller({ method: 'GET', path: `${mailboxPath}/spam/settings`, format: 'json' })).json as any).filterLevel, 'on');
      const override = await asReseller({ method: 'PUT', path: `${domainPath}/spam/settings`, fields: { filterLevel: 'off', overrideUserSettings: 'true' } });
      assert.equal(override.status, 200, override.body);
      assert.equal(((await asReseller({ method: 'GET', path: `${mailboxPath}/spam/settings`, format: 'json' })).json as any).filterLevel, 'off');
      assert.equal(await count('mailbox_spam_settings'), 0);
    });

    it('refuses each invalid setting with its message and changes nothing', async () => {
      const before = await asReseller({ method: 'GET', path: `${domainPath}/spam/settings`, format: 'json' });
      const cases: [Record<string, string | number | boolean>, string][] = [
        [{ 'rsEmail.spamHandling': 'toFolder' }, 'filterLevel is required.'],
        [{ filterLevel: 'sometimes' }, "filterLevel must be 'on', 'off' or 'exclusive'."],
        [{ filterLevel: 'on', 'rsEmail.spamHandling': 'toTrash' }, "rsEmail.spamHandling must be 'toFolder', 'delete', 'labelSubject' or 'toAddress'."],
        [{ filterLevel: 'on', 'rsEmail.spamHandling': 'toFolder', 'rsEmail.hasFolderCleaner': 'yes' }, 'rsEmail.hasFolderCleaner must be true or false.'],
        [{ filterLevel: 'on', 'rsEmail.spamHandling': 'toFolder', 'rsEmail.spamFolderAgeLimit': -1 }, 'rsEmail.spamFolderAgeLimit must be a whole number of days from 0 to 3650.'],
        [{ filterLevel: 'on', 'rsEmail.spamHandling': 'toFolder', 'rsEmail.spamFolderNumLimit': 'many' }, 'rsEmail.spamFolderNumLimit must be a whole number from 0 to 1000000.'],
        [{ filterLevel: 'on', 'rsEmail.spamHandling': 'toAddress', 'rsEmail.spamForwardingAddress': 'not-an-address' }, 'rsEmail.spamForwardingAddress must be a valid email address.'],
        [{ filterLevel: 'on', 'rsEmail.spamHandling': 'toAddress', 'rsEmail.spamForwardingAddress': '' }, 'rsEmail.spamForwardingAddress is required when rsEmail.spamHandling is toAddress.'],
        [
          { filterLevel: 'on', 'rsEmail.spamHandling': 'delete', 'rsEmail.spamFolderAgeLimit': 30 },
          'rsEmail.hasFolderCleaner, rsEmail.spamFolderAgeLimit and rsEmail.spamFolderNumLimit are only valid when rsEmail.spamHandling is toFolder.',
        ],
        [{ filterLevel: 'on', 'rsEmail.spamHandling': 'labelSubject', 'rsEmail.spamForwardingAddress': 'a@b.example' }, 'rsEmail.spamForwardingAddress is only valid when rsEmail.spamHandling is toAddress.'],
        [{ filterLevel: 'on', 'exchange.forwardToDomainQuarantine': 'maybe' }, "exchange.forwardToDomainQuarantine must be 'on' or 'off'."],
        [{ filterLevel: 'on', 'exchange.quarantineOwner': 'nobody' }, 'exchange.quarantineOwner must be a valid email address.'],
        [{ filterLevel: 'on', overrideUserSettings: 'always' }, 'overrideUserSettings must be true or false.'],
      ];
      for (const [fields, message] of cases) {
        const res = await asReseller({ method: 'PUT', path: `${domainPath}/spam/settings`, fields, format: 'json' });
        assert.equal(res.status, 400, JSON.stringify(fields));
        assert.equal(res.errorMessage, message);
        assert.equal((res.json as any).validationFault.message, message);
      }
      const mailbox = await asReseller({ method: 'PUT', path: `${mailboxPath}/spam/settings`, fields: { filterLevel: 'on', 'rsEmail.spamHandling': 'toAddress', 'rsEmail.spamForwardingAddress': '' }, format: 'xml' });
      assert.equal(mailbox.status, 400);
      assert.equal(tree(mailbox.body).name, 'validationFault');
      const after = await asReseller({ method: 'GET', path: `${domainPath}/spam/settings`, format: 'json' });
      assert.deepEqual(after.json, before.json);
    });

    it('adds, lists and removes sender entries; refuses duplicates, absent entries and non-entries', async () => {
      const list = `${domainPath}/spam/blocklist`;
      for (const entry of ['Spammer@Bad.example', 'bad.example', '*@worse.example', '*.worst.example']) {
        const res = await asReseller({ method: 'POST', path: `${list}/${encodeURIComponent(entry)}` });
        assert.equal(res.status, 200, `${entry}: ${res.body}`);
      }
      const dup = await asReseller({ method: 'POST', path: `${list}/spammer@bad.example`, format: 'json' });
      assert.equal(dup.status, 400);
      assert.equal(dup.errorMessage, 'spammer@bad.example is already on the blocklist.');
      const bad = await asReseller({ method: 'POST', path: `${list}/not%20an%20address`, format: 'json' });
      assert.equal(bad.status, 400);
      assert.equal(bad.errorMessage, 'Invalid entry: use an email address, a domain name or a wildcard such as *@example.com or *.example.com.');
      const json = await asReseller({ method: 'GET', path: list, format: 'json' });
      assert.deepEqual(json.json, { addresses: ['*.worst.example', '*@worse.example', 'bad.example', 'spammer@bad.example'] });
      const xml = await asReseller({ method: 'GET', path: list, format: 'xml' });
      assert.deepEqual(tree(xml.body), {
        name: 'blocklist',
        attrs: { ...NS, xmlns: 'urn:xml:blocklist' },
        children: [el('addresses', ['*.worst.example', '*@worse.example', 'bad.example', 'spammer@bad.example'].map((a) => text('address', a)))],
      });
      // The list's name before 2020 serves the same list.
      const old = await asReseller({ method: 'GET', path: `${domainPath}/spam/blacklist`, format: 'xml' });
      assert.equal(tree(old.body).name, 'blacklist');
      assert.equal(tree(old.body).children[0].children.length, 4);
      const remove = await asReseller({ method: 'DELETE', path: `${list}/SPAMMER@bad.example` });
      assert.equal(remove.status, 200, remove.body);
      const again = await asReseller({ method: 'DELETE', path: `${list}/spammer@bad.example`, format: 'json' });
      assert.equal(again.status, 404);
      assert.equal(again.errorMessage, 'spammer@bad.example is not on the blocklist.');
      const safe = await asReseller({ method: 'POST', path: `${domainPath}/spam/safelist/friend@good.example` });
      assert.equal(safe.status, 200);
      assert.deepEqual((await asReseller({ method: 'GET', path: `${domainPath}/spam/safelist`, format: 'json' })).json, { addresses: ['friend@good.example'] });
      assert.equal((await asReseller({ method: 'GET', path: list, format: 'json' })).json && ((await asReseller({ method: 'GET', path: list, format: 'json' })).json as any).addresses.length, 3);
    });

    it('takes IP addresses, CIDR ranges and wildcards on the IP lists, and nothing else', async () => {
      const list = `${mailboxPath}/spam/ipblocklist`;
      for (const entry of ['192.0.2.7', '198.51.100.0/24', '203.0.113.%', '2001:DB8::1']) {
        const res = await asReseller({ method: 'POST', path: `${list}/${encodeURIComponent(entry)}` });
        assert.equal(res.status, 200, `${entry}: ${res.body}`);
      }
      const json = await asReseller({ method: 'GET', path: list, format: 'json' });
      assert.deepEqual(json.json, { addresses: ['192.0.2.7', '198.51.100.0/24', '2001:db8::1', '203.0.113.*'] });
      for (const entry of ['300.1.1.1', '10.0.0.0/33', 'spammer@bad.example', '*.*.*.*']) {
        const res = await asReseller({ method: 'POST', path: `${list}/${encodeURIComponent(entry)}`, format: 'json' });
        assert.equal(res.status, 400, entry);
        assert.equal(res.errorMessage, 'Invalid entry: use an IP address, a CIDR range such as 10.0.0.0/24 or a wildcard such as 10.0.0.*.');
      }
      const dup = await asReseller({ method: 'POST', path: `${list}/192.0.2.7`, format: 'json' });
      assert.equal(dup.errorMessage, '192.0.2.7 is already on the IP blocklist.');
      assert.equal((await asReseller({ method: 'DELETE', path: `${list}/${encodeURIComponent('198.51.100.0/24')}` })).status, 200);
      assert.deepEqual(((await asReseller({ method: 'GET', path: list, format: 'json' })).json as any).addresses, ['192.0.2.7', '2001:db8::1', '203.0.113.*']);
      // The mailbox's lists are its own: the domain's IP blocklist is still empty.
      assert.deepEqual((await asReseller({ method: 'GET', path: `${domainPath}/spam/ipblocklist`, format: 'json' })).json, { addresses: [] });
      assert.equal((await asReseller({ method: 'POST', path: `${mailboxPath}/spam/ipsafelist/10.1.%25` })).status, 200);
      assert.deepEqual((await asReseller({ method: 'GET', path: `${mailboxPath}/spam/ipsafelist`, format: 'json' })).json, { addresses: ['10.1.*.*'] });
    });

    it("answers for another reseller's customer, a read-only principal and a missing mailbox as the mailbox routes do", async () => {
      const foreign = await call(t, fx.resellerAdminB, { method: 'GET', path: `${domainPath}/spam/settings`, format: 'json' });
      assert.equal(foreign.status, 404);
      assert.equal(foreign.errorMessage, 'Customer Not Found');
      const foreignWrite = await call(t, fx.resellerAdminB, { method: 'POST', path: `${domainPath}/spam/safelist/a@b.example`, format: 'json' });
      assert.equal(foreignWrite.errorMessage, 'Customer Not Found');
      const read = await call(t, fx.reader, { method: 'GET', path: `${mailboxPath}/spam/settings`, format: 'json' });
      assert.equal(read.status, 200, read.body);
      const write = await call(t, fx.reader, { method: 'PUT', path: `${mailboxPath}/spam/settings`, fields: { filterLevel: 'off' }, format: 'json' });
      assert.equal(write.status, 403);
      assert.equal(write.errorMessage, 'Not authorized');
      // A customer admin looks after its own mail's spam filtering.
      const own = await call(t, fx.customerAdminA1, { method: 'POST', path: `/v1/customers/me/domains/spam53.example/spam/safelist/partner.example` });
      assert.equal(own.status, 200, own.body);
      const ghost = await asReseller({ method: 'GET', path: `${domainPath}/rs/mailboxes/ghost/spam/settings`, format: 'json' });
      assert.equal(ghost.status, 404);
      assert.equal(ghost.errorMessage, 'Mailbox not found');
      const v0 = await asReseller({ method: 'GET', path: `/v0/customers/${a1}/domains/spam53.example/spam/safelist`, format: 'json' });
      assert.deepEqual(((v0.json as any).addresses as string[]).sort(), ['friend@good.example', 'partner.example']);
    });

    it('audits every change under who made it', async () => {
      const entries = await queryAudit(t.ctx, { accountGuid: fx.a1.guid });
      const actions = new Set(entries.map((e) => e.action));
      for (const action of ['domain.spam.update', 'mailbox.spam.update', 'domain.spam.list.add', 'domain.spam.list.remove', 'mailbox.spam.list.add', 'mailbox.spam.list.remove']) assert.ok(actions.has(action), action);
      const update = entries.find((e) => e.action === 'mailbox.spam.update')!;
      assert.equal(update.actorGuid, fx.resellerAdminA.actor.guid);
    });

    it('deletes the spam rows of a mailbox and of a domain with them', async () => {
      await asReseller({ method: 'PUT', path: `${mailboxPath}/spam/settings`, fields: { filterLevel: 'exclusive' } });
      assert.ok((await count('mailbox_spam_settings')) > 0 && (await count('mailbox_spam_entries')) > 0);
      assert.equal((await asReseller({ method: 'DELETE', path: mailboxPath })).status, 200);
      assert.equal(await count('mailbox_spam_settings'), 0);
      assert.equal(await count('mailbox_spam_entries'), 0);
      assert.ok((await count('domain_spam_settings')) > 0 && (await count('domain_spam_entries')) > 0);
      assert.equal((await asReseller({ method: 'DELETE', path: domainPath })).status, 200);
      assert.equal(await count('domain_spam_settings'), 0);
      assert.equal(await count('domain_spam_entries'), 0);
      const gone = await asReseller({ method: 'GET', path: `${domainPath}/spam/settings`, format: 'json' });
      assert.equal(gone.status, 404);
      assert.equal(gone.errorMessage, 'Domain not found');
    });
  });
}
