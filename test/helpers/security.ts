import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FaceName } from '../../src/http/route.js';
import { makeTestApp, type TestApp } from './context.js';
import { buildFixture, type Fixture, type FixturePrincipal } from './fixture.js';
import { storeSuiteOptions, type StoreKind } from './stores.js';
import type { InjectedResponse } from './transport.js';
import type { Config } from '../../src/config.js';

/**
 * One security suite, run against every declared route of a face: no credentials, a wrong secret, another
 * tenant's object, and a read-only principal writing. The suite fails when the face declares a route that
 * has no case here, so a new route cannot ship without its security checks.
 */

/** Who sends a request: nobody, a known key signed with the wrong secret, or a fixture principal. */
export type Caller = 'anonymous' | 'wrong-secret' | FixturePrincipal;

export interface SecurityRequest {
  method: string;
  /** Path and query, as the face's client would send them. */
  url: string;
  body?: unknown;
}

export interface SecurityCase {
  /** The declared route this case covers: its operationId and method (as in `app.faceRoutes`). */
  operationId: string;
  method: string;
  /** A valid request within reseller A's subtree (on customer a1 when the route names an account). */
  request(fx: Fixture): SecurityRequest;
  /**
   * The same request on an object outside reseller A's subtree (reseller B's customer b1). Omitted when the
   * route names no object (the caller's own account, a search scoped by the caller).
   */
  foreign?(fx: Fixture): SecurityRequest;
  /** The operation changes something: a read-only principal must be refused. */
  writes: boolean;
}

export interface FaceSecuritySpec {
  face: FaceName;
  /** Settings for the app under test (e.g. throttling off so the suite does not trip the rate limits). */
  config?: Partial<Config>;
  send(t: TestApp, caller: Caller, req: SecurityRequest): Promise<InjectedResponse>;
  /** Assert the face's refusal of a request without valid credentials (vendor's status and shape). */
  assertUnauthenticated(res: InjectedResponse, label: string): void;
  /** Assert the face's answer to another tenant's object (not found or not authorized, as the vendor does). */
  assertForeign(res: InjectedResponse, label: string): void;
  /** Assert the face's refusal of a write by a principal without the role. */
  assertForbidden(res: InjectedResponse, label: string): void;
  cases: SecurityCase[];
  /** Declared routes deliberately left out (public routes are left out already), each with the reason. */
  exempt?: Record<string, string>;
}

const key = (method: string, operationId: string) => `${method.toUpperCase()} ${operationId}`;

export function securitySuite(kind: StoreKind, spec: FaceSecuritySpec): void {
  describe(`${spec.face} security on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let fx: Fixture;
    before(async () => {
      t = await makeTestApp(kind, spec.config ?? {});
      fx = await buildFixture(t.ctx);
    });
    after(async () => t?.close());

    it('has a case for every authenticated route the face declares', () => {
      const declared = new Set(t.app.faceRoutes.filter((r) => r.face === spec.face && r.auth).map((r) => key(r.method, r.operationId)));
      assert.ok(declared.size > 0, `${spec.face} declares no authenticated route`);
      const covered = new Set(spec.cases.map((c) => key(c.method, c.operationId)));
      const missing = [...declared].filter((k) => !covered.has(k) && !spec.exempt?.[k]);
      assert.deepEqual(missing, [], 'declared routes without a security case');
      const stale = [...covered].filter((k) => !declared.has(k));
      assert.deepEqual(stale, [], 'security cases for routes that are not declared');
    });

    it('refuses every route without credentials and with a wrong secret', async () => {
      for (const c of spec.cases) {
        const req = c.request(fx);
        spec.assertUnauthenticated(await spec.send(t, 'anonymous', req), `${key(c.method, c.operationId)} anonymous`);
        spec.assertUnauthenticated(await spec.send(t, 'wrong-secret', req), `${key(c.method, c.operationId)} wrong secret`);
      }
    });

    it("never shows or changes another tenant's object", async () => {
      for (const c of spec.cases) {
        if (!c.foreign) continue;
        spec.assertForeign(await spec.send(t, fx.resellerAdminA, c.foreign(fx)), `${key(c.method, c.operationId)} by reseller A on reseller B's customer`);
        spec.assertForeign(await spec.send(t, fx.customerAdminA1, c.foreign(fx)), `${key(c.method, c.operationId)} by customer a1's admin`);
      }
    });

    it('refuses every write by a read-only principal', async () => {
      for (const c of spec.cases) {
        if (!c.writes) continue;
        spec.assertForbidden(await spec.send(t, fx.reader, c.request(fx)), `${key(c.method, c.operationId)} by a read-only principal`);
      }
    });
  });
}
