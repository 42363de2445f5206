import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { DB } from '../schema.js';
import type { Account, AccountSearch, Page } from '../records.js';
import type { Dialect } from '../connect.js';
import { SCOPE_SPAN } from '../migrations/0018_search_scopes.js';
import { countChildren, toAccount } from './accounts.js';
import { escapeLike, prefixEnd } from './text-match.js';

/**
 * Account lists and their searches (the Rackspace customer index, the panel, the demo): a page in name then
 * account-number order, and the total of every match.
 */

type Search = AccountSearch & { descendantsPath?: string };
type Scoped = () => SelectQueryBuilder<DB, 'accounts', {}>;

/**
 * A `contains` walk of a parent's name index may read this many entries per match before the matches are
 * sorted instead: testing an entry from the index costs about 0.2 µs, reading, keying and sorting a match
 * about 5 µs (measured at 1,000,000 customers, bench/RESULTS.md).
 */
export const WALK_ROWS_PER_MATCH = 25;

/**
 * How a page of `contains` under one parent is found, from the number of matches and of children and the
 * matches the page needs (offset + limit): `'all'` walks the parent's name index in page order until the
 * page is found — even a walk of every child costs no more than sorting the matches; a number walks at
 * most that many entries, where matches spread evenly should be found well within it (and a walk that
 * finds them bunched after its end gives way to the sort, having cost at most about as much again);
 * `null` sorts the matches, which are few.
 */
export function containsWalk(matches: number, children: number, wanted: number): 'all' | number | null {
  const budget = WALK_ROWS_PER_MATCH * matches;
  if (children <= budget) return 'all';
  return (wanted * children) / matches <= budget ? budget : null;
}

export async function search(db: Kysely<DB>, dialect: Dialect, s: Search, visiblePath: string): Promise<Page<Account>> {
  // No name, number or reference holds U+0000 (the domain refuses it, PostgreSQL could not store it), and
  // neither FTS5 nor PostgreSQL takes it in a query (an error, not an answer): searching for it finds nothing.
  const text = s.startsWith === undefined ? s.contains : typeof s.startsWith === 'string' ? s.startsWith : undefined;
  if (text?.includes('\u0000')) return { total: 0, items: [] };
  // The scope (visibility, parent or subtree, kind) is applied in one place so every branch below can use it.
  // (`startswith` wins over `contains`, as it always has: the trigram index is then no use.)
  const trigram = dialect === 'sqlite' && s.startsWith === undefined && s.contains !== undefined && [...s.contains.toLowerCase()].length >= 3;
  const scoped = () => {
    let q = db.selectFrom('accounts').where('deleted_at', 'is', null);
    if (visiblePath !== '/') q = q.where('path', '>=', visiblePath).where('path', '<', prefixEnd(visiblePath));
    // With the trigram index, SQLite (which has no statistics) would still walk every child by the parent
    // index and test each against the matches; the unary plus leaves the matches to lead.
    if (s.childrenOf) q = trigram ? q.where(sql`+parent_guid`, '=', s.childrenOf) : q.where('parent_guid', '=', s.childrenOf);
    if (s.descendantsPath) q = q.where('path', '>', s.descendantsPath).where('path', '<', prefixEnd(s.descendantsPath));
    if (s.kind) q = q.where('kind', '=', s.kind);
    return q;
  };
  if (s.startsWith !== undefined) return startsWithPage(db, scoped, s);
  const wholeParent = !!s.childrenOf && visiblePath === '/' && !s.descendantsPath;
  if (trigram && wholeParent) return containsUnderParent(db, scoped, s);
  let q = scoped();
  if (s.contains !== undefined) {
    const needle = s.contains.toLowerCase();
    // The LIKE decides; on SQLite the trigram index first narrows the rows it must look at (migration 0014).
    // PostgreSQL's trigram indexes serve the LIKE itself.
    if (trigram) q = q.where('guid', 'in', trigramMatches(needle));
    q = q.where(likeAnyColumn(needle));
  }
  const total =
    wholeParent && s.contains === undefined
      ? await countChildren(db, s.childrenOf!, s.kind)
      : Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await q.selectAll().orderBy('name_lower').orderBy('account_number').limit(s.limit).offset(s.offset).execute();
  return { total, items: rows.map(toAccount) };
}

/** Name, account number or reference holds `needle` (lower-cased), wildcards taken literally. */
function likeAnyColumn(needle: string) {
  const p = '%' + escapeLike(needle) + '%';
  return sql<boolean>`(name_lower like ${p} escape '\\' or account_number like ${p} escape '\\' or reference_lower like ${p} escape '\\')`;
}

/**
 * `startswith`: one index range per column (name, account number, reference), each served by its own
 * (parent, column) index where a single OR would scan the whole scope. The total counts each match once, in
 * the first of the three branches it falls in — the name branch from its index alone (migration 0018), the
 * other two, usually empty for a prefix of letters, less what an earlier branch counted. When only names
 * match, the page is a stretch of the name index; otherwise it merges each branch's own first offset +
 * limit rows in the page's order: the page's rows are among them, so no match beyond them is read.
 * "0-9" is the range of digits.
 */
async function startsWithPage(db: Kysely<DB>, scoped: Scoped, s: AccountSearch): Promise<Page<Account>> {
  const [lo, hi] = typeof s.startsWith === 'object' ? ['0', ':'] : [s.startsWith!.toLowerCase(), prefixEnd(s.startsWith!.toLowerCase())];
  type Column = 'name_lower' | 'account_number' | 'reference_lower';
  const branch = (column: Column) => scoped().where(column, '>=', lo).where(column, '<', hi);
  const outside = (q: ReturnType<typeof branch>, column: Column) => q.where((eb) => eb.or([eb(column, '<', lo), eb(column, '>=', hi)]));
  const count = (q: ReturnType<typeof branch>) => q.select((eb) => eb.fn.countAll<number>().as('n'));
  const counts = await db
    .selectNoFrom((eb) => [
      eb.selectFrom(count(branch('name_lower')).as('a')).select('a.n').as('a'),
      eb.selectFrom(count(outside(branch('account_number'), 'name_lower')).as('b')).select('b.n').as('b'),
      eb.selectFrom(count(outside(outside(branch('reference_lower'), 'name_lower'), 'account_number')).as('c')).select('c.n').as('c'),
    ])
    .executeTakeFirstOrThrow();
  const total = Number(counts.a) + Number(counts.b) + Number(counts.c);
  if (s.offset >= total) return { total, items: [] };
  const page = (q: ReturnType<typeof branch>) => q.selectAll().orderBy('name_lower').orderBy('account_number').limit(s.limit).offset(s.offset);
  // Every match starts with the prefix in its name (the usual case for letters): the page is a stretch of the name index.
  if (Number(counts.b) + Number(counts.c) === 0) return { total, items: (await page(branch('name_lower')).execute()).map(toAccount) };
  // The account number is unique: it keys a match in the merge and then fetches the page's rows. The heads
  // read keys only, which the name index holds for every branch: a walk of it in page order is quick where
  // a branch is dense (digits: every account number).
  const head = (column: Column) =>
    db.selectFrom(branch(column).select(['name_lower', 'account_number']).orderBy('name_lower').orderBy('account_number').limit(s.offset + s.limit).as('b')).selectAll();
  const merged = head('name_lower').union(head('account_number')).union(head('reference_lower'));
  const keys = db.selectFrom(merged.as('u')).select('u.account_number').orderBy('u.name_lower').orderBy('u.account_number').limit(s.limit).offset(s.offset);
  const rows = await db.selectFrom('accounts').selectAll().where('account_number', 'in', keys).orderBy('name_lower').orderBy('account_number').execute();
  return { total, items: rows.map(toAccount) };
}

/**
 * `contains` (three characters or more) among the children of one parent on SQLite. The total is the
 * trigram index's count of matches in the parent's key ranges (migration 0018: they hold live children of
 * that parent only). The page comes from a walk of the parent's name index when matches are common, or
 * from the matches themselves, sorted, when they are rare (containsWalk). Both test the same text as
 * before: a case-sensitive substring, which is what the trigram phrase matches, and the LIKE, so the rows
 * do not change.
 */
async function containsUnderParent(db: Kysely<DB>, scoped: Scoped, s: Search): Promise<Page<Account>> {
  const needle = s.contains!.toLowerCase();
  const parent = s.childrenOf!;
  const phrase = ftsPhrase(needle);
  const kind = s.kind ? sql`and kind = ${s.kind}` : sql``;
  const span = sql.lit(SCOPE_SPAN);
  const { rows: [counts] } = await sql<{ matches: number; children: number }>`select
    (select coalesce(sum((select count(*) from account_search where account_search match ${phrase}
      and rowid >= sc.id * ${span} and rowid < (sc.id + 1) * ${span})), 0)
      from account_search_scopes sc where parent_guid = ${parent} ${kind}) as matches,
    (select coalesce(sum(live), 0) from account_children where parent_guid = ${parent} ${kind}) as children`.execute(db);
  const total = Number(counts.matches);
  const expected = Math.min(s.limit, total - s.offset);
  if (expected <= 0) return { total, items: [] };
  const walk = containsWalk(total, Number(counts.children), s.offset + s.limit);
  if (walk !== null) {
    const items = await walkNameIndex(db, s, needle, walk);
    if (items.length >= expected) return { total, items };
  }
  // The scopes lead (CROSS JOIN keeps them outside), so FTS5 seeks to each one's key range.
  const matches = sql<string>`(select k.guid from account_search_scopes sc
    cross join account_search s on s.rowid >= sc.id * ${span} and s.rowid < (sc.id + 1) * ${span}
    join account_search_keys k on k.id = s.rowid
    where sc.parent_guid = ${parent} ${kind} and account_search match ${phrase})`;
  const rows = await scoped()
    .where('guid', 'in', matches)
    .where(likeAnyColumn(needle))
    .selectAll()
    .orderBy('name_lower')
    .orderBy('account_number')
    .limit(s.limit)
    .offset(s.offset)
    .execute();
  return { total, items: rows.map(toAccount) };
}

/**
 * The page from the parent's name index in page order, each entry tested from the index's own columns
 * (migration 0018), so only the page's rows are read whole; `walk` entries at most, or all of them.
 */
async function walkNameIndex(db: Kysely<DB>, s: Search, needle: string, walk: 'all' | number): Promise<Account[]> {
  const holds = (t: string) =>
    sql<boolean>`(instr(${sql.ref(`${t}.name_lower`)}, ${needle}) > 0 or instr(${sql.ref(`${t}.account_number`)}, ${needle}) > 0
      or instr(${sql.ref(`${t}.reference_lower`)}, ${needle}) > 0)`;
  if (walk === 'all') {
    let q = db.selectFrom('accounts').selectAll().where('parent_guid', '=', s.childrenOf!).where('deleted_at', 'is', null);
    if (s.kind) q = q.where('kind', '=', s.kind);
    q = q.where(holds('accounts')).where(likeAnyColumn(needle));
    return (await q.orderBy('name_lower').orderBy('account_number').limit(s.limit).offset(s.offset).execute()).map(toAccount);
  }
  // The first `walk` entries, matching or not, then the matches among them.
  const entries = db
    .selectFrom('accounts')
    .select([sql<number>`rowid`.as('r'), 'name_lower', 'account_number', 'reference_lower', 'kind', 'deleted_at'])
    .where('parent_guid', '=', s.childrenOf!)
    .orderBy('name_lower')
    .orderBy('account_number')
    .limit(walk);
  let hits = db.selectFrom(entries.as('e')).select(['e.r', 'e.name_lower', 'e.account_number']).where('e.deleted_at', 'is', null);
  if (s.kind) hits = hits.where('e.kind', '=', s.kind);
  hits = hits.where(holds('e')).where(likeAnyColumn(needle));
  const rows = await db
    .selectFrom(hits.limit(s.limit).offset(s.offset).as('h'))
    .innerJoin('accounts', (j) => j.on(sql<boolean>`accounts.rowid = h.r`))
    .selectAll('accounts')
    .orderBy('h.name_lower')
    .orderBy('h.account_number')
    .execute();
  return rows.map(toAccount);
}

/** An FTS5 phrase: the trigrams of `needle`, adjacent and in order, which is `needle` as a substring. */
function ftsPhrase(needle: string): string {
  return '"' + needle.replace(/"/g, '""') + '"';
}

/**
 * GUIDs of live accounts whose name, account number or reference holds `needle` (three characters or more),
 * from the SQLite trigram index, anywhere in the store.
 */
function trigramMatches(needle: string) {
  return sql<string>`(select k.guid from account_search s join account_search_keys k on k.id = s.rowid where account_search match ${ftsPhrase(needle)})`;
}
