/** Rows of several accounts read at once, as each account's list in the rows' order (an account without rows is absent). */
export function byAccount<R extends { account_guid: string }, T>(rows: readonly R[], to: (row: R) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.account_guid);
    if (list) list.push(to(r));
    else out.set(r.account_guid, [to(r)]);
  }
  return out;
}
