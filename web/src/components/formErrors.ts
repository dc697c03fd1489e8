import type { FormInstance } from 'antd';
import { ApiError } from '../api/client';
import { plainFieldMessages } from '../api/errors';
import type { Lang } from '../i18n';

/** `partnerLiaisons[0].name` / `partnerLiaisons.0.name` → ['partnerLiaisons', 0, 'name'] */
export function fieldPath(field: string): (string | number)[] {
  return field
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/**
 * Put a 400 VALIDATION_FAILED's field messages beside the form's fields.
 * Returns the messages of fields the form does not have, to show above it.
 */
export function applyServerErrors(
  form: FormInstance,
  err: unknown,
  known: string[],
  lang: Lang = 'zh',
  /** Where a field of the request body is shown in this form, when the form lays it out differently. */
  placeOf?: (path: (string | number)[]) => (string | number)[] | undefined,
): string[] {
  if (!(err instanceof ApiError)) return [];
  const rest: string[] = [];
  const fields: { name: (string | number)[]; errors: string[] }[] = [];
  for (const fe of err.fieldErrors) {
    const sent = fieldPath(fe.field);
    const path = placeOf?.(sent) ?? sent;
    const messages = plainFieldMessages(fe.messages, lang);
    if (path.length && known.includes(String(path[0]))) fields.push({ name: path, errors: messages });
    else rest.push(...messages.map((m) => (fe.field ? `${fe.field}：${m}` : m)));
  }
  if (fields.length) form.setFields(fields);
  return rest;
}
