import { validationError, type FieldError } from './errors.js';

/** Paging as clients send it: numbers, or the strings of a query string; absent means the default. */
export interface PageRequest {
  size?: number | string;
  offset?: number | string;
}

/** A page that echoes the size and offset it was asked for, as the vendor lists do. */
export interface SizedPage<T> {
  size: number;
  offset: number;
  total: number;
  items: T[];
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

function whole(v: number | string | undefined): number | null | undefined {
  if (v === undefined || v === '') return undefined;
  const s = String(v).trim();
  return /^\d{1,9}$/.test(s) ? Number(s) : null;
}

/** Size 0–1000 (default 50) and offset ≥ 0 (default 0); anything else is a Validation error naming the field. */
export function parsePage(request: PageRequest): { size: number; offset: number } {
  const problems: FieldError[] = [];
  const size = whole(request.size);
  const offset = whole(request.offset);
  if (size === null || (size !== undefined && size > MAX_PAGE_SIZE)) {
    problems.push({ field: 'size', problem: 'invalid', message: `size must be a whole number from 0 to ${MAX_PAGE_SIZE}` });
  }
  if (offset === null) problems.push({ field: 'offset', problem: 'invalid', message: 'offset must be a whole number of 0 or more' });
  if (problems.length) throw validationError(problems);
  return { size: size ?? DEFAULT_PAGE_SIZE, offset: offset ?? 0 };
}
