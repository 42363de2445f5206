import { Type } from '@sinclair/typebox';

/** Account numbers and ids are digits; anything else in the path names no page (a 404, not a 400). */
export const AccountParams = Type.Object({ n: Type.String({ pattern: '^[0-9]{1,20}$' }) });
export const ItemParams = Type.Object({ n: Type.String({ pattern: '^[0-9]{1,20}$' }), id: Type.String({ pattern: '^[0-9]{1,15}$' }) });

export const PageQuery = Type.Object({ offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })) });

/** Every form carries the session's CSRF token (checked by the authentication, before anything else runs). */
export const CsrfForm = Type.Object({ _csrf: Type.String({ maxLength: 200 }) });

/** A text field of a form: absent when the browser sent nothing, bounded so no form can be huge. */
export const text = () => Type.Optional(Type.String({ maxLength: 2000 }));
/** A ticked checkbox posts "true"; an unticked one posts nothing. */
export const tick = () => Type.Optional(Type.Literal('true'));

export type AccountParams = typeof AccountParams;
export type ItemParams = typeof ItemParams;
