import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateProduct } from '../../src/domain/product.js';
import { DomainError } from '../../src/domain/errors.js';

describe('product catalog validation', () => {
  const fields = (p: Parameters<typeof validateProduct>[0]) => {
    try {
      validateProduct(p);
      return [];
    } catch (e) {
      return (e as DomainError).details.fields?.map((f) => f.field) ?? [];
    }
  };
  it('accepts ids the store can hold and decimal rates', () => {
    assert.deepEqual(fields({ id: 2_147_483_647, name: 'Max', packageLabel: 'x', monthlyRate: '7.00' }), []);
    assert.deepEqual(fields({ id: 1, name: 'Min', packageLabel: 'x', monthlyRate: '0' }), []);
  });
  it('refuses ids outside 1..2147483647, empty names and rates that are not decimals', () => {
    assert.deepEqual(fields({ id: 2_147_483_648, name: 'Big', packageLabel: 'x', monthlyRate: '1' }), ['id']);
    assert.deepEqual(fields({ id: 0, name: 'Zero', packageLabel: 'x', monthlyRate: '1' }), ['id']);
    assert.deepEqual(fields({ id: 5, name: ' ', packageLabel: 'x', monthlyRate: '1.5.0' }), ['name', 'monthlyRate']);
  });
});
