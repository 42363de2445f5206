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
  const reader = new LiteralReader(text);
  const result = reader.value(0);
  reader.ws();
  if (reader.i < text.length) reader.fail('unexpected text after the value');
  return result;
}

/** A cursor over the text; each method reads one kind of literal starting at the cursor. */
class LiteralReader {
  i = 0;
  constructor(private readonly text: string) {}

  fail(what: string): never {
    throw new PythonLiteralError(`${what} at position ${this.i}`);
  }

  ws(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i])) this.i++;
  }

  value(depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    this.ws();
    const c = this.text[this.i];
    if (c === undefined) this.fail('unexpected end');
    if (c === '{') return this.dict(depth);
    if (c === '[') return this.seq(depth, ']');
    if (c === '(') return this.seq(depth, ')');
    if (c === "'" || c === '"' || (/[uUrR]/.test(c) && /['"uUrR]/.test(this.text[this.i + 1] ?? ''))) return this.str();
    return this.scalar(c);
  }

  /** True, False, None or a number (Python 2 longs too). */
  private scalar(c: string): unknown {
    const rest = this.text.slice(this.i);
    const word = /^[A-Za-z_]+/.exec(rest)?.[0];
    if (word === 'True' || word === 'False' || word === 'None') {
      this.i += word.length;
      return word === 'True' ? true : word === 'False' ? false : null;
    }
    const num = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?[lL]?/.exec(rest)?.[0];
    if (!num) return this.fail(`unexpected ${JSON.stringify(c)}`);
    this.i += num.length;
    const n = Number(num.replace(/[lL]$/, ''));
    if (!Number.isFinite(n)) this.fail('number out of range');
    return n;
  }

  /** A string with its u/r prefixes, single, double or triple quoted. */
  private str(): string {
    let raw = false;
    while (/[uUrRbB]/.test(this.text[this.i] ?? '')) {
      if (/[bB]/.test(this.text[this.i])) this.fail('byte strings are not supported');
      if (/[rR]/.test(this.text[this.i])) raw = true;
      this.i++;
    }
    const q = this.text[this.i];
    if (q !== "'" && q !== '"') this.fail('expected a string');
    const close = this.text.startsWith(q.repeat(3), this.i) ? q.repeat(3) : q;
    this.i += close.length;
    let out = '';
    for (;;) {
      if (this.i >= this.text.length) this.fail('unterminated string');
      const c = this.text[this.i];
      if (this.text.startsWith(close, this.i)) {
        this.i += close.length;
        return out;
      }
      if (close.length === 1 && c === '\n') this.fail('line break in string');
      if (c !== '\\') {
        out += c;
        this.i++;
      } else {
        out += this.escape(raw);
      }
    }
  }

  /** The escape sequence at the cursor (a backslash and what follows), as the character it stands for. */
  private escape(raw: boolean): string {
    const e = this.text[this.i + 1];
    if (e === undefined) this.fail('unterminated string');
    if (raw) {
      this.i += 2;
      return '\\' + e;
    }
    if (e in SIMPLE_ESCAPES) {
      this.i += 2;
      return SIMPLE_ESCAPES[e];
    }
    if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = this.text.slice(this.i + 2, this.i + 2 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) this.fail('bad escape');
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) this.fail('bad escape');
      this.i += 2 + n;
      return String.fromCodePoint(cp);
    }
    if (/[0-7]/.test(e)) {
      const m = /^[0-7]{1,3}/.exec(this.text.slice(this.i + 1))![0];
      this.i += 1 + m.length;
      return String.fromCharCode(parseInt(m, 8));
    }
    // Python keeps unknown escapes as written.
    this.i += 2;
    return '\\' + e;
  }

  /** A list or a tuple (both read as arrays), trailing comma allowed. */
  private seq(depth: number, close: string): unknown[] {
    this.i++;
    const out: unknown[] = [];
    for (;;) {
      this.ws();
      if (this.text[this.i] === close) {
        this.i++;
        return out;
      }
      out.push(this.value(depth + 1));
      this.ws();
      if (this.text[this.i] === ',') this.i++;
      else if (this.text[this.i] !== close) this.fail(`expected , or ${close}`);
    }
  }

  private dict(depth: number): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = {};
    for (;;) {
      this.ws();
      if (this.text[this.i] === '}') {
        this.i++;
        return out;
      }
      const k = this.value(depth + 1);
      if (k !== null && typeof k === 'object') this.fail('unhashable key');
      this.ws();
      if (this.text[this.i] !== ':') this.fail('expected :');
      this.i++;
      const v = this.value(depth + 1);
      // defineProperty, so a key named __proto__ is data, never the prototype.
      Object.defineProperty(out, String(k), { value: v, enumerable: true, writable: true, configurable: true });
      this.ws();
      if (this.text[this.i] === ',') this.i++;
      else if (this.text[this.i] !== '}') this.fail('expected , or }');
    }
  }
}
