import type { DomainContext } from './context.js';
import { assertTransaction, inTransaction } from './context.js';
import { validationError } from './errors.js';
import type { Actor } from './principal.js';
import { recordAudit } from './audit.js';
import * as productsRepo from '../store/repositories/products.js';

export type Product = import('../store/records.js').Product;

export function validateProduct(p: Product): void {
  const problems = [];
  // The catalog's id column is a 32-bit integer on both stores.
  if (!Number.isInteger(p.id) || p.id <= 0 || p.id > 2_147_483_647) problems.push({ field: 'id', problem: 'invalid' as const, message: 'product id must be a whole number from 1 to 2147483647' });
  if (!p.name?.trim()) problems.push({ field: 'name', problem: 'blank' as const, message: 'product name cannot be empty' });
  if (!/^\d+(\.\d{1,4})?$/.test(p.monthlyRate)) problems.push({ field: 'monthlyRate', problem: 'invalid' as const, message: 'monthly rate must be a decimal like 7.00' });
  if (problems.length) throw validationError(problems);
}

export async function upsertProduct(ctx: DomainContext, actor: Actor, product: Product): Promise<Product> {
  validateProduct(product);
  return inTransaction(ctx, async (trx) => {
    assertTransaction(trx);
    const [before] = await productsRepo.findByIds(trx, [product.id]);
    await productsRepo.upsert(trx, product);
    await recordAudit(trx, ctx, actor, {
      action: before ? 'product.update' : 'product.create',
      entityType: 'product',
      entityGuid: String(product.id),
      accountGuid: null,
      before: before ?? null,
      after: product,
    });
    return product;
  });
}

export async function listProducts(ctx: DomainContext): Promise<Product[]> {
  return productsRepo.list(ctx.db);
}
