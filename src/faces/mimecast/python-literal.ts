/**
 * Reads a Python literal (what `str(dict)` prints): Mimecast's own Python sample sends its body that way
 * with `Content-Type: application/json`. Single- or double-quoted strings (with Python escapes and
 * u/r prefixes), ints (Python 2 `10L` too), floats, True/False/None, dicts, lists and tuples.
 * No evaluation: anything else is a syntax error.
 */
export class PythonLiteralError extends Error {}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  v: '\v',
  a: '\x07',
  '\n': '',
};

/** Deeper bodies are refused: a failed item is echoed back as `key`, and echoing must not overflow the stack. */
export const MAX_DEPTH = 64;

export function parsePythonLiteral(text: string): unknown {
  let i = 0;
  const fail = (what: string): never => {
    throw new PythonLiteralError(`${what} at position ${i}`);
  };
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };

  const str = (): string => {
    let raw = false;
    while (/[uUrRbB]/.test(text[i] ?? '')) {
      if (/[bB]/.test(text[i])) fail('byte strings are not supported');
      if (/[rR]/.test(text[i])) raw = true;
      i++;
    }
    const q = text[i];
    if (q !== "'" && q !== '"') fail('expected a string');
    const triple = text.startsWith(q.repeat(3), i);
    i += triple ? 3 : 1;
    let out = '';
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text[i];
      if (triple ? text.startsWith(q.repeat(3), i) : c === q) {
        i += triple ? 3 : 1;
        return out;
      }
      if (!triple && c === '\n') fail('line break in string');
      if (c !== '\\') {
        out += c;
        i++;
        continue;
      }
      const e = text[i + 1];
      if (e === undefined) fail('unterminated string');
      if (raw) {
        out += c + e;
        i += 2;
        continue;
      }
      if (e in SIMPLE_ESCAPES) {
        out += SIMPLE_ESCAPES[e];
        i += 2;
      } else if (e === 'x' || e === 'u' || e === 'U') {
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = text.slice(i + 2, i + 2 + n);
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) fail('bad escape');
        const cp = parseInt(hex, 16);
        if (cp > 0x10ffff) fail('bad escape');
        out += String.fromCodePoint(cp);
        i += 2 + n;
      } else if (/[0-7]/.test(e)) {
        const m = /^[0-7]{1,3}/.exec(text.slice(i + 1))![0];
        out += String.fromCharCode(parseInt(m, 8));
        i += 1 + m.length;
      } else {
        // Python keeps unknown escapes as written.
        out += c + e;
        i += 2;
      }
    }
  };

  const value = (depth: number): unknown => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === undefined) fail('unexpected end');
    if (c === '{') return dict(depth);
    if (c === '[') return seq(depth, ']');
    if (c === '(') return seq(depth, ')');
    if (c === "'" || c === '"' || (/[uUrR]/.test(c) && /['"uUrR]/.test(text[i + 1] ?? ''))) return str();
    const word = /^[A-Za-z_]+/.exec(text.slice(i))?.[0];
    if (word === 'True' || word === 'False' || word === 'None') {
      i += word.length;
      return word === 'True' ? true : word === 'False' ? false : null;
    }
    const num = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?[lL]?/.exec(text.slice(i))?.[0];
    if (num) {
      i += num.length;
      const n = Number(num.replace(/[lL]$/, ''));
      if (!Number.isFinite(n)) fail('number out of range');
      return n;
    }
    return fail(`unexpected ${JSON.stringify(c)}`);
  };

  const seq = (depth: number, close: string): unknown[] => {
    i++;
    const out: unknown[] = [];
    for (;;) {
      ws();
      if (text[i] === close) {
        i++;
        return out;
      }
      out.push(value(depth + 1));
      ws();
      if (text[i] === ',') i++;
      else if (text[i] !== close) fail(`expected , or ${close}`);
    }
  };

  const dict = (depth: number): Record<string, unknown> => {
    i++;
    const out: Record<string, unknown> = {};
    for (;;) {
      ws();
      if (text[i] === '}') {
        i++;
        return out;
      }
      const k = value(depth + 1);
      if (k !== null && typeof k === 'object') fail('unhashable key');
      ws();
      if (text[i] !== ':') fail('expected :');
      i++;
      const v = value(depth + 1);
      // defineProperty, so a key named __proto__ is data, never the prototype.
      Object.defineProperty(out, String(k), { value: v, enumerable: true, writable: true, configurable: true });
      ws();
      if (text[i] === ',') i++;
      else if (text[i] !== '}') fail('expected , or }');
    }
  };

  const result = value(0);
  ws();
  if (i < text.length) fail('unexpected text after the value');
  return result;
}
