import type { OperatorCommand } from './sandbox.js';

interface ClockView {
  now: string;
  frozen: boolean;
  offsetMs: number;
  wall: string;
  from?: string;
  jobsRanAt?: string[];
}

function describeClock(c: ClockView): string {
  const lines = [`business time ${c.now}${c.frozen ? ' (frozen)' : ''}; real time ${c.wall}`];
  if (c.from) lines.unshift(`moved from ${c.from}; scheduled jobs ran at ${c.jobsRanAt?.length ? c.jobsRanAt.join(', ') : 'no instant'}`);
  return lines.join('\n');
}

/** `sandbox clock get|advance|set|freeze|unfreeze|real`: the test clock. */
export const sandboxClockCommands: OperatorCommand[] = [
  { words: ['clock', 'get'], description: 'show the business time', method: 'GET', path: '/clock', print: describeClock },
  {
    words: ['clock', 'advance'],
    description: 'move the business time forward (31d, 2mo, 1w, 12h, 1d12h …), running every scheduled job due on the way',
    args: ['<duration>'],
    method: 'POST',
    path: '/clock/advance',
    body: ([by]) => ({ by }),
    print: describeClock,
  },
  {
    words: ['clock', 'set'],
    description: 'set the business time (ISO 8601); forward runs the jobs due on the way, as advance does',
    args: ['<time>'],
    method: 'POST',
    path: '/clock/set',
    body: ([at]) => ({ at }),
    print: describeClock,
  },
  { words: ['clock', 'freeze'], description: 'stop the business time where it is', method: 'POST', path: '/clock/freeze', print: describeClock },
  { words: ['clock', 'unfreeze'], description: 'let the business time run on from where it stands', method: 'POST', path: '/clock/unfreeze', print: describeClock },
  { words: ['clock', 'real'], description: 'back to the real time (no offset, running)', method: 'POST', path: '/clock/real', print: describeClock },
];
