/**
 * ServiceStack's wire formats for the CCC face: camelCase JSON without nulls, DataContract XML, CSV of
 * the response's result list, and JSONP. A response is a DTO: a type name (the XML root element) and a
 * body of camelCase properties in the order the vendor's samples show.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { stringify } from 'csv-stringify/sync';

export type Format = 'json' | 'xml' | 'csv';

export interface Dto {
  /** The response DTO's name, e.g. ServiceStatusChangesResponse (the XML root element). */
  type: string;
  body: Record<string, unknown>;
  /** For XML: the element name of the items of each list property (results → ServiceStatusChange). */
  listItems?: Record<string, string>;
}

/** Our DTOs' XML namespace, as DataContractSerializer derives it from a .NET namespace. */
export const DTO_NAMESPACE = 'http://schemas.datacontract.org/2004/07/DeliverySlip.Ccc.ServiceModel';
/** ResponseStatus and ResponseError live in ServiceStack's own namespace. */
export const SERVICESTACK_NAMESPACE = 'http://schemas.servicestack.net/types';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const ARRAYS = 'http://schemas.microsoft.com/2003/10/Serialization/Arrays';

/** Properties typed Dictionary<string,string>: their keys are data, not member names. */
const DICTIONARIES = new Set(['branding', 'meta']);
const DEFAULT_LIST_ITEMS: Record<string, string> = { errors: 'ResponseError' };

export const CONTENT_TYPES: Record<Format | 'jsonp', string> = {
  json: 'application/json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  jsonp: 'application/javascript; charset=utf-8',
};

const pascal = (k: string) => k.charAt(0).toUpperCase() + k.slice(1);

// ---- JSON ----

/** ServiceStack leaves null properties out of JSON. */
export function encodeJson(dto: Dto): string {
  return JSON.stringify(dto.body, (_k, v) => (v === null ? undefined : v));
}

// ---- XML (DataContractSerializer style) ----

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: true, suppressBooleanAttributes: false });

/** Characters XML 1.0 cannot carry even escaped (controls, U+FFFE/FFFF, lone surrogates) become U+FFFD. */
function xmlText(s: string): string {
  return s.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD');
}

function xmlValue(key: string, value: unknown, listItems: Record<string, string>): unknown {
  if (value === null || value === undefined) return { '@_i:nil': 'true' };
  if (Array.isArray(value)) {
    const item = listItems[key] ?? 'string';
    return value.length ? { [item]: value.map((v) => xmlValue(item, v, listItems)) } : '';
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (DICTIONARIES.has(key)) {
      return {
        '@_xmlns:d2p1': ARRAYS,
        'd2p1:KeyValueOfstringstring': entries.map(([k, v]) => ({ 'd2p1:Key': xmlText(k), 'd2p1:Value': v === null ? '' : xmlText(String(v)) })),
      };
    }
    // DataContractSerializer writes a plain type's members in ordinal order of their names.
    const out: Record<string, unknown> = key === 'responseStatus' ? { '@_xmlns': SERVICESTACK_NAMESPACE } : {};
    for (const [k, v] of entries.sort(([a], [b]) => (pascal(a) < pascal(b) ? -1 : pascal(a) > pascal(b) ? 1 : 0))) {
      if (v === undefined) continue;
      out[pascal(k)] = xmlValue(k, v, listItems);
    }
    return out;
  }
  return xmlText(String(value));
}

export function encodeXml(dto: Dto): string {
  const body = xmlValue('', dto.body, { ...DEFAULT_LIST_ITEMS, ...dto.listItems }) as Record<string, unknown>;
  const root = { '@_xmlns:i': XSI, '@_xmlns': DTO_NAMESPACE, ...body };
  return '<?xml version="1.0" encoding="utf-8"?>' + builder.build({ [dto.type]: root });
}

// ---- CSV ----

/** ServiceStack's JSV text for a nested value inside a CSV cell. */
export function jsv(value: unknown, key = ''): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return '[' + value.map((v) => jsv(v)).join(',') + ']';
  if (typeof value === 'object') {
    const dict = DICTIONARIES.has(key);
    return (
      '{' +
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => `${dict ? jsvString(k) : pascal(k)}:${jsv(v, k)}`)
        .join(',') +
      '}'
    );
  }
  return jsvString(String(value));
}

function jsvString(s: string): string {
  return /[",{}[\]\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The rows of a response: its `results` list if it has one, else the DTO itself as one row. */
export function encodeCsv(dto: Dto): string {
  const rows = Array.isArray(dto.body.results) ? (dto.body.results as Record<string, unknown>[]) : [dto.body];
  if (rows.length === 0) return '';
  const columns: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!columns.includes(k) && k !== 'responseStatus') columns.push(k);
  const records = rows.map((r) => columns.map((c) => (typeof r[c] === 'object' && r[c] !== null ? jsv(r[c], c) : r[c] ?? '')));
  return stringify(records, { header: true, columns: columns.map(pascal), record_delimiter: '\r\n', cast: { boolean: (b) => String(b) } });
}

/** A callback name that cannot inject script: dotted JavaScript identifiers only. */
export function isSafeCallback(name: string): boolean {
  return name.length <= 128 && /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(name);
}

export function encode(dto: Dto, format: Format, callback: string | null): { contentType: string; payload: string } {
  if (format === 'xml') return { contentType: CONTENT_TYPES.xml, payload: encodeXml(dto) };
  if (format === 'csv') return { contentType: CONTENT_TYPES.csv, payload: encodeCsv(dto) };
  const json = encodeJson(dto);
  if (callback) return { contentType: CONTENT_TYPES.jsonp, payload: `${callback}(${json})` };
  return { contentType: CONTENT_TYPES.json, payload: json };
}

const SUFFIX = /\.(json|xml|csv)$/i;
/** A pre-defined route names its format: /xml/reply/{Name}, /api/csv/reply/{Name}. */
const REPLY_PATH = /^(?:\/api)?\/(json|xml|csv)\/reply\//i;

/**
 * The format a request asks for: ?format= first, then the format a pre-defined route names (which, as in
 * ServiceStack's handlers, Accept does not override), then a .json/.xml/.csv suffix, then Accept; JSON by default.
 */
export function negotiate(path: string, formatParam: string | undefined, accept: string | undefined): Format {
  const f = formatParam?.trim().toLowerCase();
  if (f === 'json' || f === 'xml' || f === 'csv') return f;
  const reply = REPLY_PATH.exec(path);
  if (reply) return reply[1].toLowerCase() as Format;
  const suffix = SUFFIX.exec(path);
  if (suffix) return suffix[1].toLowerCase() as Format;
  if (!accept) return 'json';
  const ranked = accept
    .split(',')
    .map((part, i) => {
      const [type, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { type: type.trim(), q: q ? Number(q.slice(2)) || 0 : 1, i };
    })
    .filter((m) => m.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const m of ranked) {
    if (m.type === 'application/json' || m.type === 'text/json' || m.type === 'application/javascript' || m.type === 'text/javascript') return 'json';
    if (m.type === 'application/xml' || m.type === 'text/xml') return 'xml';
    if (m.type === 'text/csv') return 'csv';
    if (m.type === '*/*' || m.type === 'application/*') return 'json';
  }
  return 'json';
}

export function stripSuffix(s: string): string {
  return s.replace(SUFFIX, '');
}
