/** Rackspace wire formats: content negotiation, the XML documents the seeds show, .NET-style dates. */

export type Format = 'json' | 'xml';

export interface Negotiated {
  format: Format;
  /** The client named a format itself (not just "anything"): only then do bodyless operations answer with a body. */
  explicit: boolean;
}

/** Without a usable Accept header the answer is XML, as in every example of the v0 and v1 pages. */
export const DEFAULT_FORMAT: Format = 'xml';

/** Picks JSON or XML from an Accept header, honouring q-values; anything else falls back to the default. */
export function negotiate(accept: string | string[] | undefined): Negotiated {
  const text = Array.isArray(accept) ? accept.join(',') : accept ?? '';
  let best: { format: Format; q: number } | null = null;
  for (const part of text.split(',')) {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    let q = 1;
    for (const p of params) {
      const [k, v] = p.trim().split('=');
      if (k === 'q' && v !== undefined && !Number.isNaN(Number(v))) q = Number(v);
    }
    const format: Format | null = type === 'application/json' || type === 'text/json' ? 'json' : type === 'text/xml' || type === 'application/xml' ? 'xml' : null;
    if (format && q > 0 && (!best || q > best.q)) best = { format, q };
  }
  return best ? { format: best.format, explicit: true } : { format: DEFAULT_FORMAT, explicit: false };
}

export const CONTENT_TYPE: Record<Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

/** An element's content: text, nested elements, or null (the element is left out, as .NET serializers do). */
export type XmlContent = string | null | XmlElement[];
export type XmlElement = [name: string, content: XmlContent];

const XML_NAMESPACES = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"';

/** Characters XML 1.0 cannot carry at all are dropped; the five special ones are escaped. */
export function escapeXml(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function renderElements(elements: XmlElement[], indent: string): string {
  let out = '';
  for (const [name, content] of elements) {
    if (content === null) continue;
    if (typeof content === 'string') out += `${indent}<${name}>${escapeXml(content)}</${name}>\n`;
    else if (content.length === 0) out += `${indent}<${name} />\n`;
    else out += `${indent}<${name}>\n${renderElements(content, indent + '  ')}${indent}</${name}>\n`;
  }
  return out;
}

/** A document as the seeds show it: the XML declaration, the xsi/xsd namespaces and `urn:xml:<root>` as default namespace. */
export function xmlDocument(root: string, children: XmlElement[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<${root} ${XML_NAMESPACES} xmlns="urn:xml:${root}">\n${renderElements(children, '  ')}</${root}>\n`;
}

/** A fault document, in the shape of the vendor's faults: `<badRequestFault code="400">…`. */
export function xmlFault(root: string, code: number, children: XmlElement[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<${root} code="${code}">\n${renderElements(children, '  ')}</${root}>\n`;
}

/** .NET's default date format, as in `dateCreated`: `6/11/2010 10:53:46 AM` (UTC here). */
export function dotNetDate(d: Date): string {
  const h = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** Header values must be visible ASCII; user text that reaches x-error-message is reduced to that. */
export function headerSafe(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?').slice(0, 500);
}
