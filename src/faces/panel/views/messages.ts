import type { VNode } from 'preact';
import { html, type Node } from './html.js';
import { Layout, PANEL, type Viewer } from './layout.js';

/** A page that only says something: errors, refusals, signed out. */
export function MessagePage({ title, viewer = null, children }: { title: string; viewer?: Viewer | null; children?: Node }): VNode {
  return html`<${Layout} title=${title} viewer=${viewer}>
    <section class="card">
      <h1>${title}</h1>
      ${children}
    </section>
  <//>`;
}

const HOW_TO_SIGN_IN = html`<p>
  The control panel is entered through a one-time sign-in link. Ask your provider for a new one, or, if you
  have API access, create a login token (<code>POST /v1/customers/{accountNumber}/loginToken</code>) and open
  <code>/TokenLogin.aspx?loginToken=…</code>. An operator can print one with
  <code>partnerhub panel-link --account N --user NAME</code>.
</p>`;

export function SignInNeededPage(): VNode {
  return html`<${MessagePage} title="Please sign in">
    <p>You are not signed in, or your session has ended (sessions end after a while without use, and after a few hours in any case).</p>
    ${HOW_TO_SIGN_IN}
  <//>`;
}

const TOKEN_PROBLEMS = {
  invalid: ['This sign-in link is not valid', 'The link is unknown, or the account or user it was made for no longer exists.'],
  expired: ['This sign-in link has expired', 'Sign-in links work for 10 minutes after they are made.'],
  used: ['This sign-in link has already been used', 'Each sign-in link works once. If that was not you, tell your provider.'],
} as const;

export function TokenProblemPage({ problem }: { problem: keyof typeof TOKEN_PROBLEMS }): VNode {
  const [title, text] = TOKEN_PROBLEMS[problem];
  return html`<${MessagePage} title=${title}>
    <p>${text}</p>
    ${HOW_TO_SIGN_IN}
  <//>`;
}

export function SignedOutPage(): VNode {
  return html`<${MessagePage} title="Signed out">
    <p>You have signed out. Your session has ended on every device and server.</p>
    <p><a href=${`${PANEL}/`}>Back to the control panel</a></p>
  <//>`;
}

export function ProblemPage({ title, text }: { title: string; text: string }): VNode {
  return html`<${MessagePage} title=${title}>
    <p>${text}</p>
    <p><a href=${`${PANEL}/`}>Back to your account</a></p>
  <//>`;
}
