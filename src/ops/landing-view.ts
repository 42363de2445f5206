import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';
import type { LandingFacts } from './landing.js';

/**
 * The landing page's HTML: a preact tree written with htm and rendered on the server, so every value is
 * escaped by the renderer. Self-contained (inline style, no script), so it works with nothing else served.
 */

const STYLE = `
body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 52rem; padding: 1rem 1.25rem; color: #1d2330; }
h1 { margin-bottom: .25rem; } .muted { color: #5b6475; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #dde1e8; vertical-align: top; }
code { background: #f1f3f7; padding: 0 .25rem; border-radius: 3px; } ul.links li { margin: .2rem 0; }
`;

function Link({ href, label, why }: { href: string | null; label: string; why: string }): VNode | null {
  if (!href) return null;
  return html`<li><a href=${href}>${label}</a> <span class="muted">— ${why}</span></li>`;
}

function Faces({ facts }: { facts: LandingFacts }): VNode {
  return html`<table>
    <thead><tr><th>face</th><th>mounted at</th><th>routes</th></tr></thead>
    <tbody>
      ${facts.faces.map(
        (f) => html`<tr data-face=${f.name}>
          <td>${f.title}</td>
          <td>${f.basePaths.map((p, i) => html`${i ? ', ' : ''}<code>${p}</code>`)}</td>
          <td>${f.routes}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

function Demo({ demo }: { demo: LandingFacts['demo'] }): VNode | null {
  if (!demo) return null;
  return html`<section>
    <h2>Demo data</h2>
    <p>This server was started with demo data. Its credentials are in <code>${demo.credentialsFile}</code>.</p>
    <p class="muted">${demo.note}</p>
  </section>`;
}

export function landingPage(facts: LandingFacts): string {
  const { links } = facts;
  const tree = html`<html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>partnerhub</title>
      <style>${STYLE}</style>
    </head>
    <body>
      <h1>${facts.name} <small class="muted">${facts.version}</small></h1>
      <p>${facts.description}</p>
      <p>Store: <strong>${facts.store.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}</strong> <span class="muted">(${facts.store.description})</span></p>
      <h2>Faces</h2>
      <${Faces} facts=${facts} />
      <h2>Where next</h2>
      <ul class="links">
        <${Link} href=${links.docs} label="API reference" why="every face's routes, with try-it against this server" />
        <${Link} href=${links.openapi} label="OpenAPI document" why="import into Postman, Stoplight, Prism or a client generator" />
        <${Link} href=${links.panel} label="Control panel" why="sign in with a login token" />
        <${Link} href=${links.health} label="Health" why="the process is up" />
        <${Link} href=${links.ready} label="Readiness" why="the store answers" />
        <${Link} href=${links.metrics} label="Metrics" why="Prometheus text format" />
      </ul>
      <${Demo} demo=${facts.demo} />
      <p class="muted">Ask for this page with <code>Accept: application/json</code> to get the same facts as JSON.</p>
    </body>
  </html>`;
  return '<!doctype html>' + render(tree);
}
