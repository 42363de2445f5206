import type { DomainContext } from '../../../domain/context.js';
import { abilities, accountByNumber } from '../../../domain/account-view.js';
import { DomainError, ErrorCode, isDomainError } from '../../../domain/errors.js';
import type { PanelUser } from '../session.js';
import type { FormState } from '../views/forms.js';

/** The account a page is about (visible to the viewer, or not-found) with what the viewer may do there. */
export async function accountFrame(domain: DomainContext, user: PanelUser, accountNumber: string) {
  const account = await accountByNumber(domain, user.actor, accountNumber);
  return { account, may: abilities(user.actor, account), viewer: user.viewer };
}

/**
 * A refusal the person can fix, as errors next to the fields it names (the domain's own messages, the
 * same the API gives); an error about no field of the form goes above it. Anything else is rethrown for
 * the error map.
 */
export function formRefusal(e: unknown, values: FormState['values'], fields: readonly string[]): FormState {
  if (!isDomainError(e, ErrorCode.Validation) && !isDomainError(e, ErrorCode.LimitReached)) throw e;
  const errors: Record<string, string> = {};
  const problems = (e as DomainError).details.fields ?? [];
  for (const p of problems) {
    const key = fields.includes(p.field) ? p.field : '';
    errors[key] ??= p.message;
  }
  if (problems.length === 0) errors[''] = (e as DomainError).message;
  return { values, errors };
}
