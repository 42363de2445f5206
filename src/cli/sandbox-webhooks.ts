import { Option } from 'commander';
import type { OperatorCommand } from './sandbox.js';

interface Subscription {
  guid: string;
  principalGuid: string;
  url: string;
  events: string[];
  secret?: string;
}
interface Delivery {
  guid: string;
  eventType: string | null;
  eventGuid: string | null;
  state: string;
  attempts: number;
  nextAttemptAt: string;
  log: { status: number | null; error: string | null }[];
}

const describeSubscription = (s: Subscription) => `${s.guid}  ${s.url}  ${s.events.join(',')}  (principal ${s.principalGuid})${s.secret ? `\nsigning secret (shown once): ${s.secret}` : ''}`;
const describeDelivery = (d: Delivery) => {
  const last = d.log.at(-1);
  return `${d.guid}  ${d.eventType} ${d.eventGuid}  ${d.state}, ${d.attempts} attempts${last ? `, last: ${last.status ?? last.error}` : ''}${d.state === 'pending' ? `, next at ${d.nextAttemptAt}` : ''}`;
};

/** `sandbox webhooks list|add|remove|deliveries|replay|deliver`. */
export const sandboxWebhookCommands: OperatorCommand[] = [
  { words: ['webhooks', 'list'], description: 'list webhook subscriptions', method: 'GET', path: '/webhooks', print: (l: Subscription[]) => l.map(describeSubscription).join('\n') || 'no subscriptions' },
  {
    words: ['webhooks', 'add'],
    description: "subscribe a URL to the events of a principal's subtree (prints the signing secret once)",
    args: ['<principal>', '<url>'],
    options: [new Option('--events <list>', 'comma-separated, e.g. account.status_changed,invoice.issued (default: all)')],
    method: 'POST',
    path: '/webhooks',
    body: ([principal, url], flags) => ({ principal, url, ...(flags.events ? { events: String(flags.events).split(',').map((e) => e.trim()) } : {}) }),
    print: describeSubscription,
  },
  { words: ['webhooks', 'remove'], description: 'remove a subscription', args: ['<guid>'], method: 'DELETE', path: ([g]) => `/webhooks/${encodeURIComponent(g)}`, print: () => 'Removed' },
  {
    words: ['webhooks', 'deliveries'],
    description: 'the delivery log, newest first, with every attempt (--json for the responses)',
    options: [new Option('--subscription <guid>'), new Option('--event <guid>'), new Option('--state <state>', 'pending, delivered or failed'), new Option('--limit <n>')],
    method: 'GET',
    path: (_a, flags) => {
      const q = new URLSearchParams();
      for (const k of ['subscription', 'event', 'state', 'limit']) if (flags[k] !== undefined) q.set(k, String(flags[k]));
      return `/webhooks/deliveries${q.size ? `?${q}` : ''}`;
    },
    print: (l: Delivery[]) => l.map(describeDelivery).join('\n') || 'no deliveries',
  },
  { words: ['webhooks', 'replay'], description: "send a delivery's event again", args: ['<delivery-guid>'], method: 'POST', path: ([g]) => `/webhooks/deliveries/${encodeURIComponent(g)}/replay`, print: (r: { guid: string }) => `Replaying as ${r.guid}` },
  {
    words: ['webhooks', 'deliver'],
    description: 'deliver what is due now (serve does it every webhookIntervalMs)',
    method: 'POST',
    path: '/webhooks/deliver',
    print: (r: { ran: boolean; delivered: number; retrying: number; failed: number }) =>
      r.ran ? `delivered ${r.delivered}, retrying ${r.retrying}, failed ${r.failed}` : 'another process is delivering',
  },
];
