import { useState, type ReactNode } from 'react';
import { App, Button, Card, Form, Modal, Table, type FormInstance } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { get, patch, post } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { ErrorAlert, PageTitle } from '../../components/common';
import { applyServerErrors } from '../../components/formErrors';
import { useLang } from '../../i18n';

interface Props<T extends { id: string | number }> {
  title: string;
  path: string;
  /** The cache entry this register shares with the rest of the app (pickers, names). */
  queryKey: QueryKey;
  columns: ColumnsType<T>;
  fields: (form: FormInstance, editing: T | null) => ReactNode;
  fieldNames: string[];
  toForm?: (r: T) => Record<string, unknown>;
  toBody: (v: Record<string, unknown>, editing: T | null) => Record<string, unknown>;
  /** Something to tell the admin about the saved answer (e.g. a branch that lost its named secretary). */
  afterSave?: (saved: unknown) => string | null;
  newLabel: string;
}

/** List + create (POST) + edit (PATCH) for the admin's registers. */
export default function CrudPage<T extends { id: string | number }>({ title, path, queryKey, columns, fields, fieldNames, toForm, toBody, afterSave, newLabel }: Props<T>) {
  const { t, lang } = useLang();
  const { message, modal } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm();
  const [editing, setEditing] = useState<T | null>(null);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const list = useQuery({
    queryKey,
    queryFn: async () => {
      const d = await get<T[] | { items: T[] }>(path);
      return Array.isArray(d) ? d : (d?.items ?? []);
    },
  });

  const openFor = (r: T | null) => {
    setEditing(r);
    setErr(null);
    form.resetFields();
    if (r) form.setFieldsValue(toForm ? toForm(r) : (r as unknown as Record<string, unknown>));
    setOpen(true);
  };

  const save = async () => {
    let v: Record<string, unknown>;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setErr(null);
    try {
      const body = toBody(v, editing);
      const saved = editing ? await patch(`${path}/${encodeURIComponent(String(editing.id))}`, body) : await post(path, body);
      message.success(t('已保存', 'Saved'));
      // Names and pickers everywhere read the same registers.
      await Promise.all([['branches'], ['partners'], ['users'], ['members']].map((k) => client.invalidateQueries({ queryKey: k })));
      setOpen(false);
      const notice = afterSave?.(saved);
      if (notice) modal.warning({ title: t('请注意', 'Please note'), content: notice });
    } catch (e) {
      const rest = applyServerErrors(form, e, fieldNames, lang);
      setErr([errorMessage(e, lang), ...rest].join('；'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle
        title={title}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => openFor(null)}>
            {newLabel}
          </Button>
        }
      />
      <Card>
        <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
        <Table<T>
          size="small"
          rowKey={(r) => String(r.id)}
          loading={list.isFetching}
          dataSource={list.data ?? []}
          scroll={{ x: 700 }}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            ...columns,
            {
              title: t('操作', 'Actions'),
              key: 'edit',
              width: 90,
              render: (_, r) => (
                <Button size="small" onClick={() => openFor(r)}>
                  {t('编辑', 'Edit')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <Modal
        open={open}
        title={editing ? t('编辑', 'Edit') : newLabel}
        onCancel={() => setOpen(false)}
        onOk={save}
        confirmLoading={busy}
        okText={t('保存', 'Save')}
        cancelText={t('取消', 'Cancel')}
        forceRender
      >
        {err && (
          <div role="alert" style={{ color: '#ff4d4f', marginBottom: 12 }}>
            {err}
          </div>
        )}
        <Form form={form} layout="vertical">
          {fields(form, editing)}
        </Form>
      </Modal>
    </>
  );
}
