import type { OperatorCommand } from './sandbox.js';

/** `sandbox about`: whether the operator API answers and the token is right. */
export const sandboxBasics: OperatorCommand[] = [
  {
    words: ['about'],
    description: 'check the operator API answers and the token is right; list its operations',
    method: 'GET',
    path: '/',
    print: (a: { operations: { method: string; url: string }[] }) => a.operations.map((o) => `${o.method.padEnd(6)} ${o.url}`).join('\n'),
  },
];
