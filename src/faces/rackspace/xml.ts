/** The XML documents the seeds show, .NET-style dates, and header-safe text. */

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

/**
 * A document as the seeds show it: the XML declaration, the xsi/xsd namespaces and `urn:xml:<root>` as default
 * namespace (or the one the wiki shows, where it differs: `urn:xml:DomainSpamSettings` under `domainSpamSettings`).
 */
export function xmlDocument(root: string, children: XmlElement[], namespace = `urn:xml:${root}`): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<${root} ${XML_NAMESPACES} xmlns="${namespace}">\n${renderElements(children, '  ')}</${root}>\n`;
}

/**
 * A JSON-shaped document as XML elements, in its key order: text and numbers as text, null left out, objects
 * nested, and each list item named by `items` (`customers` holds `customer` elements).
 */
export function documentElements(doc: Record<string, unknown>, items: Record<string, string> = {}): XmlElement[] {
  const out: XmlElement[] = [];
  for (const [name, value] of Object.entries(doc)) {
    if (value === null || value === undefined) out.push([name, null]);
    else if (Array.isArray(value)) out.push([name, value.map((v) => [items[name] ?? name, typeof v === 'object' && v !== null ? documentElements(v as Record<string, unknown>, items) : String(v)] as XmlElement)]);
    else if (typeof value === 'object') out.push([name, documentElements(value as Record<string, unknown>, items)]);
    else out.push([name, String(value)]);
  }
  return out;
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
