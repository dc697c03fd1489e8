import { useState } from 'react';
import { Button, Space, Typography, Upload } from 'antd';
import { DeleteOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { download, uploadFile } from '../api/client';
import { errorMessage } from '../api/errors';
import type { Attachment, Id } from '../api/types';
import { useNotifyError } from '../hooks';
import { useLang } from '../i18n';

export const ACCEPT = '.pdf,.jpg,.jpeg,.png,.docx,.xlsx';
const MAX_BYTES = 20 * 1024 * 1024;
const known = new Map<string, Attachment>();

interface Props {
  value?: Id[];
  onChange?: (ids: Id[]) => void;
  id?: string;
}

/** Uploads files as soon as they are chosen; the form keeps only their ids. */
export function AttachmentInput({ value, onChange, id }: Props) {
  const { t, lang } = useLang();
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const ids = value ?? [];

  return (
    <div>
      <Upload
        accept={ACCEPT}
        multiple
        showUploadList={false}
        customRequest={async (opts) => {
          const file = opts.file as File;
          setErr(null);
          if (file.size > MAX_BYTES) {
            setErr(t('文件过大（不超过20MB）', 'The file is too large (20 MB at most)'));
            return;
          }
          setBusy(true);
          try {
            const a = await uploadFile(file);
            known.set(String(a.id), a);
            onChange?.([...(value ?? []), a.id]);
            opts.onSuccess?.(a);
          } catch (e) {
            setErr(errorMessage(e, lang));
            opts.onError?.(e as Error);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Button id={id} icon={<UploadOutlined />} loading={busy}>
          {t('上传附件', 'Upload files')}
        </Button>
      </Upload>
      <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
        {t('PDF、JPG、PNG、DOCX、XLSX，单个不超过20MB', 'PDF, JPG, PNG, DOCX, XLSX; 20 MB each at most')}
      </Typography.Text>
      {err && (
        <div role="alert">
          <Typography.Text type="danger">{err}</Typography.Text>
        </div>
      )}
      <ul style={{ listStyle: 'none', padding: 0, margin: '6px 0 0' }} data-testid="attachment-list">
        {ids.map((aid) => {
          const a = known.get(String(aid));
          return (
            <li key={String(aid)}>
              <Space>
                <PaperClipOutlined />
                <span>{a ? `${a.filename}（${Math.max(1, Math.round(a.size / 1024))} KB）` : t(`附件 ${aid}`, `Attachment ${aid}`)}</span>
                <Button
                  size="small"
                  type="text"
                  icon={<DeleteOutlined />}
                  aria-label={t('移除附件', 'Remove file')}
                  onClick={() => onChange?.(ids.filter((x) => String(x) !== String(aid)))}
                />
              </Space>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** Download links for stored attachments (the token must go along, so no plain href). */
export function AttachmentLinks({ ids }: { ids?: Id[] | null }) {
  const { t } = useLang();
  const notifyError = useNotifyError();
  if (!ids || ids.length === 0) return <span>—</span>;
  return (
    <Space wrap size={4}>
      {ids.map((aid, i) => {
        const a = known.get(String(aid));
        return (
          <Button
            key={String(aid)}
            size="small"
            type="link"
            icon={<PaperClipOutlined />}
            onClick={() => download(`/api/attachments/${encodeURIComponent(String(aid))}`, a?.filename ?? `attachment-${aid}`).catch(notifyError)}
          >
            {a?.filename ?? t(`附件${i + 1}`, `File ${i + 1}`)}
          </Button>
        );
      })}
    </Space>
  );
}
