import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { HOUR } from '../../../src/domain/clock.js';
import { DomainError } from '../../../src/domain/errors.js';
import { queryAudit } from '../../../src/domain/audit.js';
import {
  addDashboardNotification,
  listDashboardNotifications,
  removeDashboardNotification,
  type DashboardNotification,
} from '../../../src/domain/dashboard-notification.js';
import { system, withMimecastApp, type MimecastApp } from './helpers.js';
import { bearerCall, tokenFor } from './oauth-helpers.js';

/** get-dashboard-notifications: what an operator put on an account's dashboard, to those who may read the account. */
for (const kind of STORE_KINDS) {
  describe(`mimecast get-dashboard-notifications on ${kind}`, storeSuiteOptions(kind), () => {
    let m: MimecastApp;
    withMimecastApp(kind, {}, (app) => (m = app));
    let news: DashboardNotification;
    let later: DashboardNotification;
    let off: DashboardNotification;

    before(async () => {
      news = await addDashboardNotification(m.t.ctx, system, {
        accountGuid: m.fx.a1.guid,
        title: 'New archive region',
        message: 'Archive now runs in the EU too.',
        noticeType: 'product_news',
        warningLevel: 'good',
        visibleFrom: new Date(m.t.clock.now().getTime() - HOUR).toISOString(),
      });
      later = await addDashboardNotification(m.t.ctx, system, { accountGuid: m.fx.a1.guid, title: 'Maintenance', message: 'Sunday 02:00 UTC', visibleFrom: new Date(m.t.clock.now().getTime() + HOUR).toISOString() });
      off = await addDashboardNotification(m.t.ctx, system, { accountGuid: m.fx.a1.guid, title: 'Old notice', message: 'Resolved.', enabled: false });
      await addDashboardNotification(m.t.ctx, system, { accountGuid: m.fx.b1.guid, title: 'B only', message: 'For reseller B' });
    });

    it("answers the caller's own account for a request with no body at all (as public scripts send it)", async () => {
      const token = await tokenFor(m.t.app, m.fx.customerAdminA1.mimecast);
      const res = await m.t.app.inject({ method: 'POST', url: '/api/account/get-dashboard-notifications', headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.deepEqual(body.fail, []);
      assert.deepEqual(body.data, [
        {
          notifications: [
            {
              id: news.guid,
              customerCode: m.fx.a1.accountCode,
              clusterCode: String(m.fx.a1.hostingJurisdiction ?? '').toLowerCase(),
              title: 'New archive region',
              displayMessage: 'Archive now runs in the EU too.',
              noticeType: 'PRODUCT_NEWS',
              warningLevel: 'GOOD',
              visibleFrom: news.visibleFrom,
              enabled: true,
            },
            {
              id: off.guid,
              customerCode: m.fx.a1.accountCode,
              clusterCode: String(m.fx.a1.hostingJurisdiction ?? '').toLowerCase(),
              title: 'Old notice',
              displayMessage: 'Resolved.',
              noticeType: 'SERVICE_NOTIFICATION',
              warningLevel: 'INFO',
              visibleFrom: off.visibleFrom,
              enabled: false,
            },
          ],
        },
      ]);
    });

    it('shows a notification once its visibleFrom has come', async () => {
      const ids = async () => {
        const token = await tokenFor(m.t.app, m.fx.customerAdminA1.mimecast);
        const res = await bearerCall(m.t.app, token, '/api/account/get-dashboard-notifications');
        assert.equal(res.status, 200, res.body);
        return JSON.parse(res.body).data[0].notifications.map((n: any) => n.id);
      };
      assert.ok(!(await ids()).includes(later.guid));
      m.t.clock.advance(HOUR);
      assert.ok((await ids()).includes(later.guid));
    });

    it('answers one item per accountCode in the caller\'s subtree', async () => {
      const res = await m.readerClient.call('/api/account/get-dashboard-notifications', { data: [{ accountCode: m.fx.a1.accountCode }, { accountCode: m.fx.b1.accountCode.toLowerCase() }, { accountCode: m.fx.a2.accountCode }] });
      assert.equal(res.status, 200);
      const body = res.body as any;
      assert.deepEqual(body.fail, []);
      const titles = body.data.map((d: any) => d.notifications.map((n: any) => n.title));
      assert.deepEqual(titles.slice(0, 1)[0].slice(0, 2), ['New archive region', 'Old notice'], 'oldest visibleFrom first');
      assert.deepEqual(titles.slice(1), [['B only'], []]);
      assert.deepEqual(body.data.map((d: any) => d.notifications[0]?.customerCode), [m.fx.a1.accountCode, m.fx.b1.accountCode, undefined]);
    });

    it("refuses another reseller's account as forbidden for account, and shows none of its notifications", async () => {
      const res = await m.resellerProvisioner.call('/api/account/get-dashboard-notifications', { data: [{ accountCode: m.fx.b1.accountCode }] });
      assert.equal(res.status, 403);
      assert.equal(JSON.stringify(res.body).includes('B only'), false);
      assert.deepEqual(res.body!.fail, [{ key: { accountCode: m.fx.b1.accountCode }, errors: [{ code: 'err_xdk_operation_forbidden_for_account', message: '0003 Forbidden To Perform Operation For Account', retryable: false }] }]);
      // Mixed: its own account's item still answers, the other tenant's fails, HTTP 200.
      const mixed = await m.customerClient.call('/api/account/get-dashboard-notifications', { data: [{ accountCode: m.fx.a1.accountCode }, { accountCode: m.fx.a2.accountCode }, { accountCode: 'NOSUCHCODE' }] });
      assert.equal(mixed.status, 200);
      assert.equal(mixed.body!.data.length, 1);
      assert.deepEqual(mixed.body!.fail.map((f: any) => f.errors[0].code), ['err_xdk_operation_forbidden_for_account', 'err_xdk_operation_forbidden_for_account']);
    });

    it('fails items that are not objects with a text accountCode', async () => {
      const res = await m.readerClient.call('/api/account/get-dashboard-notifications', { data: [{ accountCode: 5 }, 'x'] });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body!.fail.map((f: any) => f.errors[0].code), ['err_validation_invalid_type', 'err_validation_invalid_type']);
    });

    it('operators add with checked fields, list and remove; each change is audited', async () => {
      await assert.rejects(
        addDashboardNotification(m.t.ctx, system, { accountGuid: m.fx.a2.guid, title: ' ', message: 'x', noticeType: 'gossip', warningLevel: 'loud', visibleFrom: 'soon' }),
        (e: unknown) => e instanceof DomainError && e.details.fields!.map((f) => f.field).join() === 'title,noticeType,warningLevel,visibleFrom',
      );
      const n = await addDashboardNotification(m.t.ctx, system, { accountGuid: m.fx.a2.guid, title: 'Hello', message: 'World', noticeType: 'SERVICE_NOTIFICATION', warningLevel: 'Warning' });
      assert.deepEqual([n.noticeType, n.warningLevel], ['service_notification', 'warning']);
      assert.deepEqual((await listDashboardNotifications(m.t.ctx, m.fx.a2.guid)).map((x) => x.guid), [n.guid]);
      await removeDashboardNotification(m.t.ctx, system, n.guid);
      assert.deepEqual(await listDashboardNotifications(m.t.ctx, m.fx.a2.guid), []);
      await assert.rejects(removeDashboardNotification(m.t.ctx, system, n.guid), DomainError);
      const audit = (await queryAudit(m.t.ctx, {})).filter((a) => a.entityGuid === n.guid).map((a) => a.action);
      assert.deepEqual(audit, ['dashboard_notification.create', 'dashboard_notification.delete']);
    });
  });
}
