/**
 * ServiceStack's metadata pages, from the MetadataTypes: /metadata lists the operations, and
 * /json/metadata?op={Name} describes one (seed 004 is such a page): its routes, its request and response
 * DTOs and every type they use, and a sample JSON exchange.
 */
import type { MetadataOperation, MetadataProperty, MetadataType, MetadataTypes } from './types.js';
import { API_VERSION, SERVICE_NAME } from './types.js';
import { dedupe } from './typescript.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const camel = (k: string) => k.charAt(0).toLowerCase() + k.slice(1);
const TITLE = `${SERVICE_NAME} v${API_VERSION}`;

const DISPLAY: Record<string, string> = { Int32: 'Integer', Int64: 'Long', Double: 'Double', Boolean: 'Boolean' };

/** A property's type as the page shows it (Guid, String, Integer, Service[], Dictionary&lt;string, string&gt;). */
function displayType(p: Pick<MetadataProperty, 'type' | 'genericArgs'>): string {
  const args = p.genericArgs ?? [];
  if (p.type === 'Nullable`1') return displayType({ type: args[0] });
  if (p.type === 'List`1') return `${displayType({ type: args[0] })}[]`;
  if (p.type === 'Dictionary`2') return 'Dictionary<string, string>';
  return DISPLAY[p.type] ?? p.type;
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${esc(title)}</title>\n<style>body{font-family:sans-serif;margin:1em 2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}pre{background:#f6f6f6;padding:8px}</style></head>\n<body>\n<h1>${esc(TITLE)}</h1>\n${body}\n</body></html>\n`;
}

export function metadataIndexPage(meta: MetadataTypes): string {
  const rows = meta.operations
    .map((o) => `<tr><th>${esc(o.request.name)}</th><td><a href="json/metadata?op=${encodeURIComponent(o.request.name)}">JSON</a></td><td>${esc(o.routes.map((r) => `${r.verbs} ${r.path}`).join(', '))}</td></tr>`)
    .join('\n');
  return page(
    TITLE,
    `<p>The following operations are supported. For a formal definition, please review the <a href="types/metadata">Service metadata</a>.</p>
<table>\n<tr><th>Operations</th><th>Format</th><th>Routes</th></tr>\n${rows}\n</table>
<h3>Add ServiceStack Reference</h3>
<p>Typed DTOs: <a href="types/typescript">TypeScript</a> (<code>npx typescript-ref BASEURL</code>), <a href="types/csharp">C#</a> (<code>npx csharp-ref BASEURL</code>).</p>`,
  );
}

function parametersTable(t: MetadataType, where: (p: MetadataProperty) => string): string {
  const rows = (t.properties ?? []).map((p) => {
    const allowable = p.isEnum && p.allowableValues ? `<p>Allowable Values</p><ul>${p.allowableValues.map((v) => `<li>${esc(v)}</li>`).join('')}</ul>` : '';
    return `<tr><td>${esc(p.name)}</td><td>${where(p)}</td><td>${esc(displayType(p))}</td><td>${p.isRequired ? 'Yes' : 'No'}</td><td>${esc(p.description ?? '')}${allowable}</td></tr>`;
  });
  return `<h4>${esc(t.name)} Parameters:</h4>\n<table>\n<tr><th>Name</th><th>Parameter</th><th>Data Type</th><th>Required</th><th>Description</th></tr>\n${rows.join('\n')}\n</table>`;
}

/** The types a type uses, depth first, each once. */
function usedTypes(start: MetadataType, byName: Map<string, MetadataType>, seen = new Set<string>()): MetadataType[] {
  const out: MetadataType[] = [];
  const refs = [...(start.inherits ? [start.inherits.name] : []), ...(start.properties ?? []).flatMap((p) => [p.type, ...(p.genericArgs ?? [])])];
  for (const name of refs) {
    const t = byName.get(name);
    if (!t || t.isEnum || seen.has(name)) continue;
    seen.add(name);
    out.push(t, ...usedTypes(t, byName, seen));
  }
  return out;
}

const SAMPLES: Record<string, unknown> = { String: 'String', Guid: '00000000000000000000000000000000', DateTime: '0001-01-01T00:00:00Z', Int32: 0, Int64: 0, Double: 0, Boolean: false };

/** The sample JSON of a type, as the vendor's pages show it (camelCase, placeholder values). */
function sample(t: MetadataType, byName: Map<string, MetadataType>, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const value = (type: string): unknown => {
    const known = byName.get(type);
    if (known?.isEnum) return known.enumNames?.[0];
    if (known) return depth < 6 ? sample(known, byName, depth + 1) : {};
    return SAMPLES[type] ?? 'String';
  };
  const props = [...(t.properties ?? []), ...(t.inherits ? byName.get(t.inherits.name)?.properties ?? [] : [])];
  for (const p of props) {
    const args = p.genericArgs ?? [];
    if (p.type === 'List`1') out[camel(p.name)] = [value(args[0])];
    else if (p.type === 'Dictionary`2') out[camel(p.name)] = { String: 'String' };
    else out[camel(p.name)] = value(p.type === 'Nullable`1' ? args[0] : p.type);
  }
  return out;
}

export function operationPage(meta: MetadataTypes, op: MetadataOperation, host: string): string {
  const byName = new Map<string, MetadataType>([...meta.types, ...dedupe(meta.operations.map((o) => o.response))].map((t) => [t.name, t]));
  const routes = op.routes.map((r) => `<tr><td>${esc(r.verbs)}</td><td>${esc(r.path)}</td><td>${esc(r.summary ?? '')}</td></tr>`).join('\n');
  const nested = usedTypes(op.response, byName, new Set([op.response.name]));
  const requestNested = usedTypes(op.request, byName, new Set([op.response.name, ...nested.map((t) => t.name)]));
  const route = op.routes[0];
  const verb = route.verbs.split(',')[0];
  return page(
    `${op.request.name} | ${TITLE}`,
    `<p><a href="../metadata">&lt;back to all web services</a></p>
<h2>${esc(op.request.name)}</h2>
<p>The following routes are available for this service:</p>
<table>\n${routes}\n</table>
${parametersTable(op.request, (p) => esc(p.paramType ?? 'body'))}
${[op.response, ...nested, ...requestNested].map((t) => parametersTable(t, () => 'body')).join('\n')}
<p>To override the Content-type in your clients, use the HTTP <b>Accept</b> Header, append the <b>.json</b> suffix or <b>?format=json</b></p>
<p>To embed the response in a <b>jsonp</b> callback, append <b>?callback=myCallback</b></p>
<h3>HTTP + JSON</h3>
<p>The following are sample HTTP requests and responses. The placeholders shown need to be replaced with actual values.</p>
<pre>${esc(`${verb} ${route.path} HTTP/1.1 \nHost: ${host} \nAccept: application/json${verb === 'GET' ? '' : `\nContent-Type: application/json\nContent-Length: length\n\n${JSON.stringify(sample(op.request, byName), null, 2)}`}`)}</pre>
<pre>${esc(`HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: length\n\n${JSON.stringify(sample(op.response, byName), null, 2)}`)}</pre>`,
  );
}
