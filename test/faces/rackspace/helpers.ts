import type { FastifyInstance } from 'fastify';
import { XMLParser } from 'fast-xml-parser';
import { injectRequest } from '../../helpers/transport.js';
import { callRackspace, type CallOptions, type RackspaceResponse, type RackspaceTransport, type TimestampZone } from '../../../src/client/rackspace.js';
import type { TestApp } from '../../helpers/context.js';
import type { FixturePrincipal } from '../../helpers/fixture.js';

/** A transport that calls the app in-process. */
export function injectTransport(app: FastifyInstance): RackspaceTransport {
  return (req) => injectRequest(app, req);
}

export interface SignedCall extends CallOptions {
  userAgent?: string;
  at?: Date;
  timestamp?: string;
  zone?: TimestampZone;
}

/** One request signed with the principal's Rackspace keys at the test clock's time. */
export function call(t: TestApp, who: FixturePrincipal | { rackspace: { userKey: string; secretKey: string } }, options: SignedCall): Promise<RackspaceResponse> {
  return callRackspace(
    injectTransport(t.app),
    {
      userKey: who.rackspace.userKey,
      secretKey: who.rackspace.secretKey,
      userAgent: options.userAgent ?? 'Rackspace Management Interface',
      at: options.at ?? t.clock.now(),
      timestamp: options.timestamp,
      zone: options.zone ?? 'utc',
    },
    options,
  );
}

/**
 * An XML document as an ordered tree (element names, attributes, text, children in order), so two
 * documents compare by structure and order rather than by whitespace.
 */
export type XmlTree = { name: string; attrs: Record<string, string>; text?: string; children: XmlTree[] };

const ordered = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, trimValues: true, ignoreDeclaration: true });

function toTree(node: Record<string, any>): XmlTree {
  const name = Object.keys(node).find((k) => k !== ':@')!;
  const attrs: Record<string, string> = { ...(node[':@'] ?? {}) };
  const children: XmlTree[] = [];
  let text: string | undefined;
  for (const child of node[name] as Record<string, any>[]) {
    if ('#text' in child) text = String(child['#text']);
    else children.push(toTree(child));
  }
  return text === undefined ? { name, attrs, children } : { name, attrs, text, children };
}

export function xmlTree(xml: string): XmlTree {
  const nodes = ordered.parse(xml) as Record<string, any>[];
  const roots = nodes.filter((n) => !Object.keys(n).some((k) => k.startsWith('?')));
  if (roots.length !== 1) throw new Error(`expected one root element, got ${roots.length}`);
  return toTree(roots[0]);
}

/** The XML declaration line of a document. */
export function declaration(xml: string): string {
  return xml.slice(0, xml.indexOf('?>') + 2);
}

import type { DomainContext } from '../../../src/domain/context.js';
import { createAccount, type Account } from '../../../src/domain/account.js';
import { createPrincipal, systemActor, type Role } from '../../../src/domain/principal.js';
import { issueCredential } from '../../../src/domain/credential.js';

export interface KeyHolder {
  guid: string;
  rackspace: { userKey: string; secretKey: string };
}

/** A principal with a fresh Rackspace key on the given account. */
export async function keyHolder(ctx: DomainContext, account: Account, email: string, role: Role = 'reseller_admin'): Promise<KeyHolder> {
  const p = await createPrincipal(ctx, systemActor('test'), { accountGuid: account.guid, email, name: email.split('@')[0], roles: [role] });
  const issued = await issueCredential(ctx, systemActor('test'), p.guid, 'rackspace');
  const s = issued.secrets as { userKey: string; secretKey: string };
  return { guid: p.guid, rackspace: { userKey: s.userKey, secretKey: s.secretKey } };
}

export interface SeedReseller {
  reseller: Account;
  admin: KeyHolder;
  c17: Account;
  c39: Account;
  c50: Account;
  /** Replaces the seeds' account numbers (460182, 460181, 460183) with the ones the store allocated. */
  substitute(text: string): string;
}

/** A reseller whose customers are exactly the three of the seeds' examples, with the v1 example's address. */
export async function seedReseller(ctx: DomainContext, partnerGuid: string, email = 'seed-admin@reseller-c.example'): Promise<SeedReseller> {
  const system = systemActor('test');
  const reseller = await createAccount(ctx, system, { parentGuid: partnerGuid, kind: 'reseller', name: 'Reseller C', status: 'CertifiedSecure' });
  const address = {
    addressLine1: '555 Address',
    addressLine2: 'Suite 555',
    city: 'Austin',
    state: 'TX',
    zip: '78703',
    country: 'US',
    phone: '1-555-555-5555',
    email: 'user@example.com',
  };
  // Created out of name order, so the index's ordering is what puts them in the seeds' order.
  const c39 = await createAccount(ctx, system, { parentGuid: reseller.guid, kind: 'customer', name: 'API Customer 39', referenceNumber: '23', ...address });
  const c50 = await createAccount(ctx, system, { parentGuid: reseller.guid, kind: 'customer', name: 'API Customer 50', referenceNumber: '10', ...address });
  const c17 = await createAccount(ctx, system, { parentGuid: reseller.guid, kind: 'customer', name: 'API Customer 17', referenceNumber: '49', ...address });
  const admin = await keyHolder(ctx, reseller, email);
  return {
    reseller,
    admin,
    c17,
    c39,
    c50,
    substitute: (text) => text.replaceAll('460182', c17.accountNumber).replaceAll('460181', c39.accountNumber).replaceAll('460183', c50.accountNumber),
  };
}

/** Rate limits off: a suite's requests must reach their routes (throttling has tests of its own). */
export const UNTHROTTLED = { rackspaceReadsPerMinute: 0, rackspaceWritesPerMinute: 0 } as const;
