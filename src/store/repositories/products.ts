import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';
import type { Product } from '../records.js';
import { byAccount } from './grouped.js';

function toProduct(r: { id: number; name: string; package_label: string; monthly_rate: string }): Product {
  return { id: Number(r.id), name: r.name, packageLabel: r.package_label, monthlyRate: r.monthly_rate };
}

export async function upsert(db: Kysely<DB>, p: Product): Promise<void> {
  await db
    .insertInto('products')
    .values({ id: p.id, name: p.name, package_label: p.packageLabel, monthly_rate: p.monthlyRate })
    .onConflict((oc) => oc.column('id').doUpdateSet({ name: p.name, package_label: p.packageLabel, monthly_rate: p.monthlyRate }))
    .execute();
}

export async function list(db: Kysely<DB>): Promise<Product[]> {
  return (await db.selectFrom('products').selectAll().orderBy('id').execute()).map(toProduct);
}

export async function findByIds(db: Kysely<DB>, ids: number[]): Promise<Product[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('products').selectAll().where('id', 'in', ids).orderBy('id').execute()).map(toProduct);
}

export async function forAccount(db: Kysely<DB>, accountGuid: string): Promise<Product[]> {
  const rows = await db
    .selectFrom('account_products')
    .innerJoin('products', 'products.id', 'account_products.product_id')
    .selectAll('products')
    .where('account_products.account_guid', '=', accountGuid)
    .orderBy('products.id')
    .execute();
  return rows.map(toProduct);
}

/** The products of several accounts, each account's in id order, in one read. */
export async function forAccounts(db: Kysely<DB>, accountGuids: readonly string[]): Promise<Map<string, Product[]>> {
  if (accountGuids.length === 0) return new Map();
  const rows = await db
    .selectFrom('account_products')
    .innerJoin('products', 'products.id', 'account_products.product_id')
    .select(['account_products.account_guid', 'products.id', 'products.name', 'products.package_label', 'products.monthly_rate'])
    .where('account_products.account_guid', 'in', accountGuids)
    .orderBy('account_products.account_guid')
    .orderBy('products.id')
    .execute();
  return byAccount(rows, toProduct);
}

/** Replaces an account's product set. */
export async function setAccountProducts(db: Kysely<DB>, accountGuid: string, ids: number[]): Promise<void> {
  await db.deleteFrom('account_products').where('account_guid', '=', accountGuid).execute();
  const unique = [...new Set(ids)];
  if (unique.length) {
    await db.insertInto('account_products').values(unique.map((id) => ({ account_guid: accountGuid, product_id: id }))).execute();
  }
}

/**
 * The catalog products among `ids`, each with whether `holderGuid` holds it: checking a requested product
 * set against what a partner may sell takes one query. `holderGuid` null: nobody's holdings are asked.
 */
export async function findByIdsWithHolding(db: Kysely<DB>, ids: number[], holderGuid: string | null): Promise<{ product: Product; held: boolean }[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('products')
    .leftJoin('account_products', (join) =>
      join.onRef('account_products.product_id', '=', 'products.id').on('account_products.account_guid', '=', holderGuid ?? ''),
    )
    .selectAll('products')
    .select('account_products.account_guid as holder')
    .where('products.id', 'in', ids)
    .orderBy('products.id')
    .execute();
  return rows.map((r) => ({ product: toProduct(r), held: r.holder !== null }));
}
