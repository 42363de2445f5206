import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';

/**
 * Pages are preact components written as htm tagged templates and rendered to a string on the server. The
 * renderer escapes every interpolated value, in text and in attributes, so output is escaped by the
 * engine and never by hand; no script is sent to the browser.
 */
export { html };
export type Node = VNode | VNode[] | string | number | null | undefined | false;

export function renderDocument(tree: VNode): string {
  return '<!doctype html>' + render(tree);
}

/** "2026-03-02T10:00:00.000Z" → "2026-03-02 10:00 UTC": one unambiguous form for every reader. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** 252_000 ms → "4 minutes 12 seconds": how long until something is allowed again. */
export function duration(ms: number): string {
  const total = Math.max(1, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  const parts: string[] = [];
  if (minutes) parts.push(`${minutes} minute${minutes === 1 ? '' : 's'}`);
  if (seconds) parts.push(`${seconds} second${seconds === 1 ? '' : 's'}`);
  return parts.join(' ');
}
