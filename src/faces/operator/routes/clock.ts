import { Type } from '@sinclair/typebox';
import { route } from '../../../http/route.js';
import type { DomainContext } from '../../../domain/context.js';
import { SandboxClock } from '../../../operator/clock.js';
import { addDuration, freeze, parseDuration, parseInstant, realTime, travelTo, viewClock } from '../../../operator/time-travel.js';
import type { Operator } from '../auth.js';
import { OperatorError } from '../errors.js';

/** The test clock: `GET /clock`, `POST /clock/advance|set|freeze|unfreeze|real`. */
function sandboxClock(domain: DomainContext): SandboxClock {
  if (!(domain.clock instanceof SandboxClock)) throw new OperatorError(409, 'no_test_clock', 'this server was started without the test clock');
  return domain.clock;
}

const ClockView = Type.Object({ now: Type.String(), frozen: Type.Boolean(), offsetMs: Type.Number(), wall: Type.String() });
const Travel = Type.Composite([ClockView, Type.Object({ from: Type.String(), jobsRanAt: Type.Array(Type.String()) })]);
const AdvanceBody = Type.Object({ by: Type.String({ description: 'a duration: 31d, 2mo, 1w, 12h, 90m, 30s, 1d12h' }) });
const SetBody = Type.Object({ at: Type.String({ description: 'ISO 8601 time' }) });

export const clockRoutes = [
  route<Operator, { response: { 200: typeof ClockView } }>({
    method: 'GET',
    url: '/clock',
    operationId: 'GetClock',
    summary: 'the business time, whether it is frozen, and its offset from the real time',
    schema: { response: { 200: ClockView } },
    handler: async ({ domain }) => {
      const clock = sandboxClock(domain);
      await clock.refresh(true);
      return viewClock(clock);
    },
  }),
  route<Operator, { body: typeof AdvanceBody; response: { 200: typeof Travel } }>({
    method: 'POST',
    url: '/clock/advance',
    operationId: 'AdvanceClock',
    summary: 'move the business time forward, running every scheduled job that falls due on the way',
    schema: { body: AdvanceBody, response: { 200: Travel } },
    handler: async ({ domain, body }) => {
      const clock = sandboxClock(domain);
      await clock.refresh(true);
      return travelTo(domain, clock, addDuration(clock.now(), parseDuration(body.by)));
    },
  }),
  route<Operator, { body: typeof SetBody; response: { 200: typeof Travel } }>({
    method: 'POST',
    url: '/clock/set',
    operationId: 'SetClock',
    summary: 'set the business time (forward: jobs due on the way run, as with advance)',
    schema: { body: SetBody, response: { 200: Travel } },
    handler: ({ domain, body }) => travelTo(domain, sandboxClock(domain), parseInstant(body.at)),
  }),
  ...(['freeze', 'unfreeze'] as const).map((what) =>
    route<Operator, { response: { 200: typeof ClockView } }>({
      method: 'POST',
      url: `/clock/${what}`,
      operationId: what === 'freeze' ? 'FreezeClock' : 'UnfreezeClock',
      summary: what === 'freeze' ? 'stop the business time where it is' : 'let the business time run on from where it stands',
      schema: { response: { 200: ClockView } },
      handler: ({ domain }) => freeze(sandboxClock(domain), what === 'freeze'),
    }),
  ),
  route<Operator, { response: { 200: typeof ClockView } }>({
    method: 'POST',
    url: '/clock/real',
    operationId: 'RealClock',
    summary: 'back to the real time (no offset, running); runs nothing',
    schema: { response: { 200: ClockView } },
    handler: ({ domain }) => realTime(sandboxClock(domain)),
  }),
];
