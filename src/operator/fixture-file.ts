import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { Value } from '@sinclair/typebox/value';
import { ConfigError } from '../config.js';
import { FixtureFile } from './fixture-schema.js';

/**
 * Reading a fixture file: YAML or JSON (JSON is YAML, so one parser reads both), checked against the
 * published schema. Every problem names its line and column, found from the node the schema's error path
 * points at (or the nearest node above it that exists).
 */
export interface FixtureProblem {
  line: number;
  column: number;
  /** JSON Pointer into the document, e.g. /partners/0/resellers/1/name. */
  path: string;
  message: string;
}

export class FixtureError extends ConfigError {
  constructor(
    readonly file: string,
    readonly problems: FixtureProblem[],
  ) {
    super(`${file} is not a valid fixture file:\n` + problems.map((p) => `  ${file}:${p.line}:${p.column}: ${p.path ? p.path + ': ' : ''}${p.message}`).join('\n'));
  }
}

/** A parsed file, able to say where any part of it is. */
export interface FixtureSource {
  file: string;
  data: FixtureFile;
  /** Line and column of the value at a JSON Pointer path (or of its nearest existing parent). */
  where(path: string): { line: number; column: number };
}

function locate(doc: Document, counter: LineCounter, path: string): { line: number; column: number } {
  const keys = path.split('/').slice(1).map((k) => (/^\d+$/.test(k) ? Number(k) : k.replace(/~1/g, '/').replace(/~0/g, '~')));
  for (let n = keys.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(keys.slice(0, n), true);
    if (isNode(node) && node.range) {
      const { line, col } = counter.linePos(node.range[0]);
      return { line, column: col };
    }
  }
  return { line: 1, column: 1 };
}

/** A union of literals (roles, statuses) says which values it takes. */
function describeError(schema: { anyOf?: { const?: unknown }[] }, message: string): string {
  const values = schema.anyOf?.map((s) => s.const).filter((v) => v !== undefined);
  return values?.length ? `must be one of ${values.join(', ')}` : message;
}

export function readFixtureText(text: string, file: string): FixtureSource {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    throw new FixtureError(
      file,
      doc.errors.map((e) => {
        const { line, col } = counter.linePos(e.pos[0]);
        return { line, column: col, path: '', message: e.message.split('\n')[0] };
      }),
    );
  }
  const data: unknown = doc.toJS();
  const where = (path: string) => locate(doc, counter, path);
  if (!Value.Check(FixtureFile, data)) {
    const seen = new Set<string>();
    const problems: FixtureProblem[] = [];
    for (const e of Value.Errors(FixtureFile, data)) {
      // A union's failure is reported once per branch; one line per place is enough.
      if (seen.has(e.path)) continue;
      seen.add(e.path);
      problems.push({ ...where(e.path), path: e.path, message: describeError(e.schema as { anyOf?: { const?: unknown }[] }, e.message) });
      if (problems.length >= 20) break;
    }
    throw new FixtureError(file, problems);
  }
  return { file, data, where };
}
