import type { FastifyRequest } from 'fastify';
import { isOperatorToken } from '../../operator/token.js';
import { OperatorError } from './errors.js';

/** Who called the operator API: there is one operator, known by the token. */
export interface Operator {
  kind: 'operator';
}

const OPERATOR: Operator = Object.freeze({ kind: 'operator' });

/** `Authorization: Bearer <operator token>`, compared with the hash the store keeps. */
export async function authenticate(request: FastifyRequest): Promise<Operator> {
  const header = request.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) throw new OperatorError(401, 'unauthorized', 'the operator API needs Authorization: Bearer <operator token>');
  if (!(await isOperatorToken(request.server.domain.db, m[1]))) throw new OperatorError(401, 'unauthorized', 'that is not the operator token');
  return OPERATOR;
}
