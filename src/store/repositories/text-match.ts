/** Escapes LIKE wildcards; every LIKE in the store is given ESCAPE '\'. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The smallest string greater than every string that starts with `prefix` under bytewise collation
 * (accounts.path, name_lower, account_number, reference_lower are bytewise on both dialects), so a prefix
 * match is the index range [prefix, prefixEnd(prefix)).
 */
export function prefixEnd(prefix: string): string {
  return prefix + '\u{10FFFF}';
}
