import { createLoginToken, type IssuedLoginToken } from './domain/login-token.js';
import { systemActor } from './domain/principal.js';
import type { DomainContext } from './domain/context.js';
import type { DemoCredentials } from './demo/credentials.js';

/**
 * One-time control panel sign-in links for operators: `partnerhub panel-link` and `npm start` (the demo)
 * print them, so a person can enter the panel without writing API code.
 */

/** The control panel's sign-in URL for a login token (the vendor's TokenLogin.aspx). */
export function panelSignInUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/$/, '')}/TokenLogin.aspx?loginToken=${token}`;
}

/** A fresh login token issued by the operator (the system principal, as every CLI change is). */
export async function issuePanelLink(ctx: DomainContext, accountGuid: string, userName: string, virtualUser: boolean): Promise<IssuedLoginToken> {
  return createLoginToken(ctx, systemActor('cli'), accountGuid, { userName, virtualUser });
}

/** What the demo prints beside the credentials: a link that signs the reseller admin in, and how to get another. */
export async function describeDemoPanelLink(ctx: DomainContext, creds: DemoCredentials, baseUrl: string): Promise<string> {
  const admin = creds.principals.reseller_admin;
  const issued = await issuePanelLink(ctx, admin.account.guid, admin.email, false);
  return [
    `Control panel: sign in as the reseller admin ${admin.email} (this link works once, for 10 minutes):`,
    `  ${panelSignInUrl(baseUrl, issued.token)}`,
    `  Another link: npx partnerhub panel-link --account ${admin.account.accountNumber} --user ${admin.email}`,
  ].join('\n');
}
