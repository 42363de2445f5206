/**
 * The C# DTO source ServiceStack's "Add ServiceStack Reference" writes (/types/csharp, `csharp-ref`), from
 * the MetadataTypes. ResponseStatus and ResponseError are not written: C# clients have them from the
 * ServiceStack.Client package.
 */
import type { MetadataOperation, MetadataProperty, MetadataType, MetadataTypes } from './types.js';
import { DTO_NAMESPACE } from './types.js';
import { dedupe } from './typescript.js';
import { optionsHeader, type SourceOptions } from './options.js';

const PRIMITIVES: Record<string, string> = {
  String: 'string',
  Int32: 'int',
  Int64: 'long',
  Double: 'double',
  Boolean: 'bool',
};

function csType(p: Pick<MetadataProperty, 'type' | 'genericArgs'>): string {
  const args = p.genericArgs ?? [];
  if (p.type === 'Nullable`1') return `${csType({ type: args[0] })}?`;
  if (p.type === 'List`1') return `List<${csType({ type: args[0] })}>`;
  if (p.type === 'Dictionary`2') return 'Dictionary<string, string>';
  return PRIMITIVES[p.type] ?? p.type;
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => (l ? `    ${l}` : l))
    .join('\n');

function enumSource(t: MetadataType): string {
  return `public enum ${t.name}\n{\n${(t.enumNames ?? []).map((n) => `    ${n},`).join('\n')}\n}\n`;
}

function classSource(t: MetadataType, op?: MetadataOperation): string {
  const bases = [
    ...(t.inherits ? [t.inherits.name] : []),
    ...(op ? [`IReturn<${op.response.name}>`, ...(t.implements ?? []).filter((i) => i.name !== 'IReturn`1').map((i) => i.name)] : []),
  ];
  const attributes = [...(op?.routes ?? []).map((r) => `[Route("${r.path}", "${r.verbs}")]`), ...(t.description ? [`[Api(Description="${t.description.replace(/"/g, '\\"')}")]`] : [])];
  const props = (t.properties ?? []).map((p) => `${p.isRequired ? '[Required]\n' : ''}public virtual ${csType(p)} ${p.name} { get; set; }`);
  return [...attributes, `public partial class ${t.name}${bases.length ? `\n    : ${bases.join(', ')}` : ''}`, '{', ...props.map(indent), '}', ''].join('\n');
}

const USINGS = ['System', 'System.IO', 'System.Collections', 'System.Collections.Generic', 'System.Runtime.Serialization', 'ServiceStack', 'ServiceStack.DataAnnotations'];

/** dtos.cs for the given MetadataTypes. */
export function csharpSource(meta: MetadataTypes, options: SourceOptions): string {
  const ns = options.globalNamespace ?? DTO_NAMESPACE;
  const wanted = (t: MetadataType) => t.namespace !== 'ServiceStack' && options.include(t.name);
  const requestNames = new Set(meta.operations.map((o) => o.request.name));
  const all = [...meta.types, ...dedupe(meta.operations.map((o) => o.response))].filter((t) => !requestNames.has(t.name) && wanted(t));
  const body = [
    ...all.filter((t) => t.isEnum).map(enumSource),
    ...all.filter((t) => !t.isEnum).map((t) => classSource(t)),
    ...meta.operations.filter((o) => wanted(o.request)).map((o) => classSource(o.request, o)),
  ];
  const usings = [...USINGS, ns].map((u) => `using ${u};`).join('\n');
  return `${optionsHeader('csharp', meta, options)}\n${usings}\n\nnamespace ${ns}\n{\n\n${body.map(indent).join('\n')}\n}\n\n`;
}
