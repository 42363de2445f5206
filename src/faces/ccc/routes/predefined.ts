/**
 * ServiceStack's pre-defined routes: every CCC operation also answers at /api/{Name} (what
 * @servicestack/client's JsonServiceClient and JsonApiClient call by default), /json/reply/{Name},
 * /xml/reply/{Name}, /csv/reply/{Name} and their /api/… forms, with the operation's own authentication,
 * role check, handler and error map. Each is declared once per operation from the operation table.
 * The request DTO is bound from the query string and the body together (the body wins), since these
 * routes have no path parameters.
 */
import type { HTTPMethods } from 'fastify';
import type { CccOperation } from '../operations.js';
import { isQuery } from '../operations.js';
import { cccRoute } from './declare.js';

/** The URL forms a ServiceStack host serves every operation at. */
export const PREDEFINED_FORMS = ['/api', '/json/reply', '/xml/reply', '/csv/reply', '/api/json/reply', '/api/xml/reply', '/api/csv/reply'] as const;

const ANY: HTTPMethods[] = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];

/** The operationId of an operation's pre-defined routes (unique; `aliasOf` names the operation). */
export const predefinedId = (name: string) => `${name}_predefined`;

function requestSchema(op: CccOperation) {
  const properties = Object.fromEntries(op.properties.map((p) => [p.name, p.schema]));
  const required = op.properties.filter((p) => p.required).map((p) => p.name);
  return { type: 'object', properties, ...(required.length ? { required } : {}) };
}

/**
 * The pre-defined routes of each operation. A read operation answers any verb (as a service implementing
 * Any() does, so `client.post(new SearchServices())` works too); a write answers only its own verb, and
 * another verb gets the same 405 its custom route gives. `/api/{Name}` is left out where it is the
 * custom route already (Ping is /api/ping: paths match without regard to case).
 */
export function predefinedRoutes(operations: CccOperation[]) {
  const custom = new Set(operations.map((op) => op.path.toLowerCase()));
  return operations.map((op) => {
    const urls = PREDEFINED_FORMS.map((form) => `${form}/${op.name}`).filter((u) => !custom.has(u.toLowerCase()));
    const { route } = op;
    return cccRoute({
      method: isQuery(op) ? ANY : (op.verbs as HTTPMethods[]),
      url: urls,
      operationId: predefinedId(op.name),
      aliasOf: op.name,
      summary: op.summary,
      auth: op.auth,
      config: { ...route.config, operation: op.name, predefined: true },
      schema: { querystring: requestSchema(op) as never, response: route.schema?.response },
      handler: (call) => route.handler({ ...call, params: call.query, body: call.query }),
    });
  });
}
