import { useState } from 'react';
import { Button, Checkbox, Form, Input, Modal, Typography } from 'antd';
import { BulbOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, post } from '../api/client';
import type { Id, Pairing, Practice } from '../api/types';
import { errorMessage } from '../api/errors';
import { useLang } from '../i18n';
import { AuthImage } from './AuthImage';
import { applyServerErrors } from './formErrors';

/** The committee publishes a scored pairing as a good practice (好做法), with photos chosen from its evidence. */
export function PublishPractice({ pairing }: { pairing: Pairing }) {
  const { t, lang } = useLang();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [images, setImages] = useState<Record<string, boolean>>({});
  const [form] = Form.useForm();
  const navigate = useNavigate();
  const client = useQueryClient();
  const evidence = [...new Set((pairing.activities ?? []).filter((a) => !a.voided).flatMap((a) => (a.attachmentIds ?? []).map(String)))];

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setBusy(true);
    setError(null);
    try {
      const practice = await post<Practice>('/api/practices', {
        pairingId: pairing.id,
        title: String(values.title ?? '').trim(),
        summary: String(values.summary ?? '').trim(),
        attachmentIds: ((values.attachmentIds as Id[] | undefined) ?? []).map(Number),
      });
      await client.invalidateQueries({ queryKey: ['practices'] });
      setOpen(false);
      navigate(`/practices/${practice.id}`);
    } catch (e) {
      const rest = e instanceof ApiError && e.status === 400 ? applyServerErrors(form, e, ['title', 'summary'], lang) : null;
      setError(rest === null ? errorMessage(e, lang) : rest.join('；') || null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button icon={<BulbOutlined />} onClick={() => setOpen(true)} data-testid="publish-practice">
        {t('发布为好做法', 'Publish as a good practice')}
      </Button>
      <Modal
        open={open}
        title={t('发布好做法', 'Publish a good practice')}
        onCancel={() => setOpen(false)}
        onOk={submit}
        okText={t('发布', 'Publish')}
        confirmLoading={busy}
        width={720}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ title: pairing.title, attachmentIds: [] }}>
          <Form.Item label={t('标题', 'Title')} name="title" required>
            <Input />
          </Form.Item>
          <Form.Item label={t('做法与成效', 'What was done and achieved')} name="summary" required>
            <Input.TextArea autoSize={{ minRows: 6 }} />
          </Form.Item>
          <Form.Item label={t('配图（从活动佐证材料中选择）', 'Photos (from the activities’ evidence)')} name="attachmentIds">
            <Checkbox.Group style={{ width: '100%' }}>
              <div className="gj-practice-photos">
                {evidence.map((id) => (
                  <label key={id} style={{ display: images[id] === false ? 'none' : undefined }}>
                    <AuthImage id={id} alt={t(`附件 ${id}`, `Attachment ${id}`)} onKind={(isImage) => setImages((m) => ({ ...m, [id]: isImage }))} />
                    <Checkbox value={id}>{t('选用', 'Use')}</Checkbox>
                  </label>
                ))}
              </div>
            </Checkbox.Group>
          </Form.Item>
          {!evidence.length && <Typography.Text type="secondary">{t('该项目没有活动佐证材料', 'This pairing has no evidence')}</Typography.Text>}
          {error && <Typography.Text type="danger">{error}</Typography.Text>}
        </Form>
      </Modal>
    </>
  );
}
