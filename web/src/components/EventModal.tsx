import { useMemo, useRef, useState } from 'react';
import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, newIdempotencyKey, request } from '../api/client';
import { codeText, errorMessage, missingText } from '../api/errors';
import { invalidatePairing } from '../api/queries';
import type { Id, Pairing } from '../api/types';
import { today } from '../dates';
import { formOf, type EventContext } from '../events';
import { useIsMobile } from '../hooks';
import { useLang } from '../i18n';
import { eventLabel } from '../labels';
import { applyServerErrors } from './formErrors';

interface Props {
  pairing: Pairing;
  /** Version to send as If-Match (from the ETag). */
  version: number;
  type: string;
  presetActivityId?: Id;
  /** The signed-in partner user's organisation (SPEC §12): it countersigns for itself, with nothing to fill in. */
  partnerId?: Id | null;
  onClose: () => void;
  onDone: (updated: Pairing | null) => void;
}

/**
 * Sends one event: its form comes from the event's own module (events/); what the server refuses is shown
 * where it belongs — field messages beside the fields, a rule beside the field it is about, a conflict as a
 * reload. The event is sent once per user action (Idempotency-Key), against the version shown (If-Match).
 */
export default function EventModal({ pairing: p, version, type, presetActivityId, partnerId = null, onClose, onDone }: Props) {
  const { t, lang } = useLang();
  const { message } = App.useApp();
  const client = useQueryClient();
  const mobile = useIsMobile();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; kind: 'error' | 'warning'; more: string[] } | null>(null);
  const idem = useRef<{ key: string; fp: string } | null>(null);
  const spec = formOf(type);
  const ctx: EventContext = { pairing: p, today: today(), lang, t, presetActivityId, partnerId };
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const initialValues = useMemo(() => spec.initialValues?.(ctx) ?? {}, [type]);
  const stillAvailable =
    (p.availableEvents ?? []).includes(type) ||
    (p.blockedEvents ?? []).some((b) => b.type === type && b.code === 'QUARTER_REQUIREMENTS_NOT_MET');

  const submit = async () => {
    const values = form.getFieldsValue(true) as Record<string, unknown>;
    setError(null);
    // What the server said last time no longer stands: this submission is judged afresh.
    form.setFields(form.getFieldsError().filter((f) => f.errors.length).map((f) => ({ name: f.name, errors: [] })));
    const body: Record<string, unknown> = { type, ...(spec.payload?.(values, ctx) ?? {}) };
    const comment = typeof values.comment === 'string' ? values.comment.trim() : '';
    if (comment) body.comment = comment;
    // One key per user action; a retry of the very same submission reuses it.
    const fp = JSON.stringify([version, body]);
    if (!idem.current || idem.current.fp !== fp) idem.current = { key: newIdempotencyKey(), fp };
    const send = () =>
      request<Pairing>(`/api/pairings/${encodeURIComponent(String(p.id))}/events`, {
        method: 'POST',
        body,
        headers: { 'If-Match': `"${version}"`, 'Idempotency-Key': idem.current!.key },
      });
    setBusy(true);
    try {
      let res;
      try {
        res = await send();
      } catch (e) {
        if (e instanceof ApiError && e.code === 'NETWORK_ERROR') res = await send();
        else throw e;
      }
      message.success(t(`已完成：${eventLabel(type, lang)}`, `Done: ${eventLabel(type, lang)}`));
      await invalidatePairing(client, p.id);
      onDone(res.data && typeof res.data === 'object' ? res.data : null);
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'VERSION_CONFLICT' || e.status === 412)) {
        message.warning(codeText('VERSION_CONFLICT', lang)!);
        setError({ text: `${codeText('VERSION_CONFLICT', lang)}${t('，请确认后再次提交。', '; please check and submit again.')}`, kind: 'warning', more: [] });
        await invalidatePairing(client, p.id);
      } else if (e instanceof ApiError && (e.code === 'INVALID_TRANSITION' || e.status === 409)) {
        message.warning(errorMessage(e, lang));
        await invalidatePairing(client, p.id);
        onClose();
      } else {
        const missing = e instanceof ApiError ? missingText(e.details, lang) : null;
        const text = missing ?? errorMessage(e, lang);
        // Every field the form shows, filled in or not (an empty one is what a 400 is most often about).
        const shown = Object.keys({ ...(form.getFieldsValue() ?? {}), ...(form.getFieldsValue(true) ?? {}) });
        const more = applyServerErrors(form, e, shown.concat(['comment', 'score']), lang, spec.placeOf && ((path) => spec.placeOf!(path, body, ctx)));
        setError({ text, kind: 'error', more });
        const field = e instanceof ApiError ? spec.ruleFields?.[e.code] : undefined;
        if (field) form.setFields([{ name: field, errors: [text] }]);
      }
    } finally {
      setBusy(false);
    }
  };

  const Fields = spec.Fields;
  return (
    <Modal
      open
      title={`${eventLabel(type, lang)} · ${p.code ?? ''}`}
      onCancel={onClose}
      onOk={submit}
      okText={t('确定', 'Confirm')}
      cancelText={t('取消', 'Cancel')}
      confirmLoading={busy}
      okButtonProps={{ disabled: !stillAvailable, danger: spec.danger }}
      width={mobile ? '100%' : spec.wide ? 860 : 520}
      style={mobile ? { top: 0, maxWidth: '100vw', margin: 0, paddingBottom: 0 } : undefined}
      className={mobile ? 'gj-modal-mobile' : undefined}
      mask={{ closable: false }}
      destroyOnHidden
    >
      {!stillAvailable && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('当前状态下已不能进行此操作', 'This step is no longer possible')} />
      )}
      {error && (
        <Alert
          type={error.kind}
          showIcon
          role="alert"
          style={{ marginBottom: 12 }}
          title={error.text}
          description={error.more.length ? <ul style={{ margin: 0 }}>{error.more.map((m, i) => <li key={i}>{m}</li>)}</ul> : undefined}
        />
      )}
      {spec.intro && spec.intro(ctx) && <Typography.Paragraph>{spec.intro(ctx)}</Typography.Paragraph>}
      <Form form={form} layout="vertical" initialValues={initialValues} onValuesChange={(changed: Record<string, unknown>) => {
          setError(null);
          // A field the person has just corrected no longer carries the server's message about it.
          form.setFields(Object.keys(changed).map((name) => ({ name, errors: [] })));
        }}
      >
        {Fields && <Fields ctx={ctx} form={form} />}
        {spec.comment !== 'none' && (
          <Form.Item
            label={spec.comment === 'required' ? t('意见/理由', 'Comment / reason') : t('意见（可选）', 'Comment (optional)')}
            name="comment"
            required={spec.comment === 'required'}
          >
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
