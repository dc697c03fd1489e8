import type { ComponentType } from 'react';
import type { FormInstance } from 'antd';
import type { Pairing } from '../api/types';
import type { Lang } from '../i18n';

export type Values = Record<string, unknown>;

/** What an event's form knows: the pairing as the server sent it, the court's "today", the reader's language. */
export interface EventContext {
  pairing: Pairing;
  today: string;
  lang: Lang;
  t: (zh: string, en: string) => string;
  /** A preset from the page (the activity a row's 作废 button names). */
  presetActivityId?: string | number;
  /** The signed-in partner user's organisation (SPEC §12); absent for everyone else. */
  partnerId?: string | number | null;
}

/**
 * One event's form, in one module: its initial values, the payload it sends, its fields. The rules stay on
 * the server: the form neither rounds, clamps nor re-checks what the server judges — it shows the server's
 * field messages (400) beside the fields, and a rule refusal (422) beside the field it is about.
 */
export interface EventForm {
  initialValues?: (ctx: EventContext) => Values;
  payload?: (values: Values, ctx: EventContext) => Values;
  Fields?: ComponentType<{ ctx: EventContext; form: FormInstance }>;
  /** What the step does, for steps without fields of their own. */
  intro?: (ctx: EventContext) => string;
  /** How the comment field is labelled; the server decides whether it was needed. */
  comment: 'required' | 'optional' | 'none';
  wide?: boolean;
  danger?: boolean;
  /** Where the form shows a field of the body it sent (by the server's path), when that differs. */
  placeOf?: (path: (string | number)[], body: Values, ctx: EventContext) => (string | number)[] | undefined;
  /** The field a rule refusal's code is about. */
  ruleFields?: Record<string, string>;
}

/** A text field's value, trimmed; undefined when empty. */
export function text(values: Values, key: string): string | undefined {
  const v = values[key];
  const s = typeof v === 'string' ? v.trim() : v;
  return s === undefined || s === null || s === '' ? undefined : (s as string);
}

/** Only what was filled in, so the server's own messages name what is missing. */
export function defined(values: Values): Values {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}
