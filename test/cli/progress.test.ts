import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { eta, startProgress } from '../../src/cli/progress.js';

/** A stream that keeps what is written, and says whether it is a terminal. */
function capture(isTTY: boolean): Writable & { isTTY: boolean; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(stream, { isTTY, text: () => chunks.join(''), columns: 100 });
}

describe('progress of long CLI work', () => {
  it('writes plain lines at most every few seconds when the output is not a terminal, and one at the end', () => {
    const stream = capture(false);
    let now = 0;
    const progress = startProgress('billing accounts', { stream, everyMs: 5000, now: () => now });
    for (let done = 0; done <= 1000; done += 10) {
      progress.update(done, 1000);
      now += 100; // 100 updates over 10 s: lines at 0 s, 5 s and 10 s
    }
    progress.stop();
    progress.stop();
    const lines = stream.text().split('\n').filter(Boolean);
    assert.deepEqual(lines, [
      'billing accounts: 0/1000 (0%), 0/s, about unknown left',
      'billing accounts: 500/1000 (50%), 100/s, about 5 s left',
      'billing accounts: 1000/1000 (100%), 100/s, done',
    ]);
  });

  it('writes the last state once at the end when no line showed it yet', () => {
    const stream = capture(false);
    let now = 0;
    const progress = startProgress('usage records', { stream, now: () => now });
    progress.update(0, 3);
    now = 1000;
    progress.update(3, 3);
    progress.stop();
    assert.deepEqual(stream.text().split('\n').filter(Boolean), ['usage records: 0/3 (0%), 0/s, about unknown left', 'usage records: 3/3 (100%), 3/s, done']);
  });

  it('says nothing when there is nothing to do', () => {
    const stream = capture(false);
    const progress = startProgress('customers', { stream });
    progress.update(0, 0);
    progress.stop();
    assert.equal(stream.text(), '');
  });

  it('draws a bar with the rate and time left on a terminal', () => {
    const stream = capture(true);
    const progress = startProgress('customers', { stream });
    progress.update(5, 10);
    progress.stop();
    const text = stream.text();
    assert.match(text, /customers \[[█░]+\] 50% \| 5\/10 \| \d+\/s \| ETA /);
    assert.match(text, /\u001b\[/, 'terminal control codes redraw it');
  });

  it('spells the time left', () => {
    assert.deepEqual([eta(0), eta(59.4), eta(83), eta(Infinity)], ['0 s', '59 s', '1 min 23 s', 'unknown']);
  });
});
