import type { DomainContext } from '../domain/context.js';
import type { Config } from '../config.js';
import { newGuid } from '../domain/ids.js';
import { deliverWebhooks } from '../domain/webhook-delivery.js';

/**
 * `serve`'s webhook delivery: every `webhookIntervalMs` of real time, one run of deliverWebhooks (a run
 * never overlaps the previous one in this process; the store's lease keeps other processes out). Requests
 * never wait for it; a receiver that does not answer costs the run `webhookTimeoutMs`.
 */
export function startWebhookDelivery(ctx: DomainContext, config: Config, onError: (e: unknown) => void): { stop(): Promise<void> } {
  if (config.webhookIntervalMs <= 0) return { stop: async () => undefined };
  const holder = newGuid();
  let running: Promise<unknown> | null = null;
  const tick = () => {
    running ??= deliverWebhooks(ctx, { holder, timeoutMs: config.webhookTimeoutMs })
      .catch(onError)
      .finally(() => (running = null));
  };
  const timer = setInterval(tick, config.webhookIntervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
