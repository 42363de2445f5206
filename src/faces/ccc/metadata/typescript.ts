/**
 * The TypeScript DTO source ServiceStack's "Add ServiceStack Reference" writes (/types/typescript), from
 * the MetadataTypes: what `typescript-ref` of @servicestack/cli saves as dtos.ts and what JsonServiceClient
 * sends. Properties are camelCase, as the CCC JSON is; every property is optional (MakePropertiesOptional).
 */
import type { MetadataOperation, MetadataProperty, MetadataType, MetadataTypes } from './types.js';
import { optionsHeader, type SourceOptions } from './options.js';

const camel = (k: string) => k.charAt(0).toLowerCase() + k.slice(1);

const PRIMITIVES: Record<string, string> = {
  String: 'string',
  Guid: 'string',
  DateTime: 'string',
  Int32: 'number',
  Int64: 'number',
  Double: 'number',
  Boolean: 'boolean',
};

function tsType(p: Pick<MetadataProperty, 'type' | 'genericArgs'>): string {
  const args = p.genericArgs ?? [];
  if (p.type === 'Nullable`1') return tsType({ type: args[0] });
  if (p.type === 'List`1') return `${tsType({ type: args[0] })}[]`;
  if (p.type === 'Dictionary`2') return '{ [index:string]: string; }';
  return PRIMITIVES[p.type] ?? p.type;
}

function property(p: MetadataProperty, optional: boolean): string {
  const lines: string[] = [];
  if (p.description) lines.push(`    /** @description ${p.description.replace(/\*\//g, '*\\/')} */`);
  if (p.isRequired) lines.push('    // @Required()');
  lines.push(`    public ${camel(p.name)}${optional || !p.isRequired ? '?' : ''}: ${tsType(p)};`);
  return lines.join('\n');
}

function enumSource(t: MetadataType): string {
  return `export enum ${t.name}\n{\n${(t.enumNames ?? []).map((n) => `    ${n} = '${n}',`).join('\n')}\n}\n`;
}

function classSource(t: MetadataType, options: SourceOptions, op?: MetadataOperation): string {
  const markers = (t.implements ?? []).filter((i) => i.name !== 'IReturn`1').map((i) => i.name);
  const implementsList = op ? [`IReturn<${op.response.name}>`, ...markers] : [];
  const head = `export class ${t.name}${t.inherits ? ` extends ${t.inherits.name}` : ''}${implementsList.length ? ` implements ${implementsList.join(', ')}` : ''}`;
  const comments = [...(t.description ? [`/** @description ${t.description} */`] : []), ...(op?.routes ?? []).map((r) => `// @Route("${r.path}", "${r.verbs}")`)];
  const props = (t.properties ?? []).map((p) => property(p, options.makePropertiesOptional));
  const init = `    public constructor(init?: Partial<${t.name}>) { ${t.inherits ? 'super(init); ' : ''}(Object as any).assign(this, init); }`;
  const methods = op
    ? [`    public getTypeName() { return '${t.name}'; }`, `    public getMethod() { return '${op.method}'; }`, `    public createResponse() { return new ${op.response.name}(); }`]
    : [];
  return [...comments, head, '{', ...props, ...(props.length ? [''] : []), init, ...methods, '}', ''].join('\n');
}

const PREAMBLE = `export interface IReturn<T>
{
    createResponse(): T;
}

export interface IReturnVoid
{
    createResponse(): void;
}

export interface IGet
{
}

export interface IPost
{
}

export interface IPut
{
}

export interface IDelete
{
}

export interface IPatch
{
}
`;

/** dtos.ts for the given MetadataTypes, with the options header `typescript-ref` reads back to update it. */
export function typescriptSource(meta: MetadataTypes, options: SourceOptions): string {
  const wanted = (name: string) => options.include(name);
  const requestNames = new Set(meta.operations.map((o) => o.request.name));
  const all = [...meta.types, ...dedupe(meta.operations.map((o) => o.response))].filter((t) => !requestNames.has(t.name));
  const enums = all.filter((t) => t.isEnum && wanted(t.name)).map(enumSource);
  // A base class comes before the classes that extend it: a class is not hoisted.
  const bases = all.filter((t) => !t.isEnum && !t.inherits && wanted(t.name));
  const derived = all.filter((t) => !t.isEnum && t.inherits && wanted(t.name));
  const classes = [...bases, ...derived].map((t) => classSource(t, options));
  const requests = meta.operations.filter((o) => wanted(o.request.name)).map((o) => classSource(o.request, options, o));
  return [optionsHeader('typescript', meta, options), '', PREAMBLE, ...enums, ...classes, ...requests].join('\n');
}

export function dedupe(types: MetadataType[]): MetadataType[] {
  const seen = new Map<string, MetadataType>();
  for (const t of types) if (!seen.has(t.name)) seen.set(t.name, t);
  return [...seen.values()];
}
