import { route, type Route } from '../../http/route.js';
import type { Actor } from '../../domain/principal.js';
import { visibleAccountBy } from '../../domain/account.js';
import { issueLoginToken } from '../../domain/login-token.js';
import { transaction } from '../../domain/transaction.js';
import { sendDocument } from './codec.js';
import { CustomerParams, LoginTokenBody, LoginTokenDocument, customerKey, responses } from './schemas.js';
import { flag, loginTokenDocument, text } from './views.js';

/** Single sign-on login tokens for the control panel (seed 002): a virtual user or one of the customer's admin users. */
export function loginTokenRoutes(base: string): Route<Actor, any>[] {
  const schema = { params: CustomerParams, body: LoginTokenBody, response: responses(LoginTokenDocument) };
  return [
    route<Actor, typeof schema>({
      method: 'POST',
      url: `${base}/:accountNumber/loginToken`,
      operationId: 'CreateLoginToken',
      summary: 'A single-sign-on token for the control panel, valid for 10 minutes',
      schema,
      async handler({ request, reply, actor, params, body, domain }) {
        const issued = await transaction(domain, async (tx) => {
          const account = await visibleAccountBy(tx, actor, customerKey(actor, params.accountNumber));
          return issueLoginToken(tx, actor, account, { userName: text(body.userName), virtualUser: flag(body.virtualUser) });
        });
        return sendDocument(request, reply, 'loginToken', loginTokenDocument(issued));
      },
    }),
  ];
}
