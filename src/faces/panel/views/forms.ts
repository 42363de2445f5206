import type { VNode } from 'preact';
import { html } from './html.js';

/** A form as it was filled in and what was wrong with it, field by field (`''`: the form as a whole). */
export interface FormState {
  values: Record<string, string | undefined>;
  errors: Record<string, string>;
}

export const emptyForm = (values: FormState['values'] = {}): FormState => ({ values, errors: {} });

interface FieldProps {
  form: FormState;
  name: string;
  label: string;
  type?: 'text' | 'email' | 'number' | 'search' | 'password';
  required?: boolean;
  hint?: string;
  autocomplete?: string;
}

/**
 * A labelled input with its own error right below it, tied together for screen readers. A password input
 * never carries a value: what was typed into it is not sent back in a page.
 */
export function Field({ form, name, label, type = 'text', required, hint, autocomplete }: FieldProps): VNode {
  const error = form.errors[name];
  const id = `f-${name}`;
  return html`<div class=${error ? 'field invalid' : 'field'}>
    <label for=${id}>${label}${required ? ' *' : ''}</label>
    <input
      id=${id}
      name=${name}
      type=${type}
      value=${type === 'password' ? undefined : (form.values[name] ?? '')}
      required=${required}
      autocomplete=${autocomplete ?? (type === 'password' ? 'new-password' : 'off')}
      aria-invalid=${error ? 'true' : undefined}
      aria-describedby=${error ? `${id}-error` : undefined}
    />
    ${hint && !error ? html`<p class="muted">${hint}</p>` : null}
    ${error ? html`<p class="error" id=${`${id}-error`}>${error}</p>` : null}
  </div>`;
}

/** A checkbox that posts "true" when ticked (an unticked box posts nothing). */
export function Check({ form, name, label }: { form: FormState; name: string; label: string }): VNode {
  const error = form.errors[name];
  return html`<div class=${error ? 'field invalid' : 'field'}>
    <label class="check"><input type="checkbox" name=${name} value="true" checked=${form.values[name] === 'true'} /> ${label}</label>
    ${error ? html`<p class="error">${error}</p>` : null}
  </div>`;
}

/** Errors that belong to no one field (an invariant, a limit) go above the form. */
export function FormError({ form }: { form: FormState }): VNode | null {
  const error = form.errors[''];
  return error ? html`<div class="notice error" role="alert">${error}</div>` : null;
}
