import { useState } from 'react';
import { App, Button, Form, Input, Modal, Select } from 'antd';
import { UserAddOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { ApiError, get, post } from '../../api/client';
import { errorMessage } from '../../api/errors';
import type { Court } from '../../api/types';
import { applyServerErrors } from '../../components/formErrors';
import { useLang } from '../../i18n';
import CrudPage from './CrudPage';

/** A court's first admin (or another), created by the platform admin. */
function AdminButton({ court }: { court: Court }) {
  const { t, lang } = useLang();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      await post(`/api/courts/${court.id}/admins`, values);
      message.success(t(`已为${court.name}创建管理员`, `Admin created for ${court.name}`));
      setOpen(false);
      form.resetFields();
    } catch (e) {
      const rest = applyServerErrors(form, e, ['username', 'displayName', 'password'], lang);
      if (rest.length || !(e instanceof ApiError) || e.status !== 400) message.error(rest.join('；') || errorMessage(e, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button size="small" icon={<UserAddOutlined />} onClick={() => setOpen(true)} data-testid={`court-admin-${court.code}`}>
        {t('创建管理员', 'Create admin')}
      </Button>
      <Modal open={open} title={t(`${court.name}的管理员`, `Admin of ${court.name}`)} onOk={() => void submit()} confirmLoading={busy} onCancel={() => setOpen(false)} destroyOnHidden>
        <Form form={form} layout="vertical">
          <Form.Item label={t('用户名', 'Username')} name="username" rules={[{ required: true, whitespace: true, message: t('请填写用户名', 'Required') }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item label={t('姓名', 'Display name')} name="displayName" rules={[{ required: true, whitespace: true, message: t('请填写姓名', 'Required') }]}>
            <Input />
          </Form.Item>
          <Form.Item label={t('初始密码', 'Initial password')} name="password" rules={[{ required: true, min: 8, message: t('至少8位', 'At least 8 characters') }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** 法院管理 (platform admins): the courts of the installation, their place in the tree, their first admins. */
export default function Courts() {
  const { t } = useLang();
  const courts = useQuery({ queryKey: ['courts'], queryFn: () => get<Court[]>('/api/courts') });
  const nameOf = (id: number | null) => (id === null ? '—' : (courts.data?.find((c) => c.id === id)?.name ?? `#${id}`));
  return (
    <CrudPage<Court>
      title={t('法院管理', 'Courts')}
      path="/api/courts"
      queryKey={['courts']}
      newLabel={t('新增法院', 'New court')}
      fieldNames={['code', 'name', 'parentCourtId']}
      columns={[
        { title: t('代码', 'Code'), dataIndex: 'code', width: 90 },
        { title: t('名称', 'Name'), dataIndex: 'name' },
        { title: t('上级法院', 'Reports to'), key: 'parent', render: (_, c) => nameOf(c.parentCourtId) },
        { title: '', key: 'admin', width: 140, render: (_, c) => <AdminButton court={c} /> },
      ]}
      toForm={(c) => ({ code: c.code, name: c.name, parentCourtId: c.parentCourtId })}
      toBody={(v, editing) =>
        editing ? { name: String(v.name ?? '').trim() } : { code: String(v.code ?? '').trim(), name: String(v.name ?? '').trim(), parentCourtId: v.parentCourtId ?? null }
      }
      fields={(_, editing) => (
        <>
          <Form.Item
            label={t('代码（2–8个大写字母，建后不可改）', 'Code (2–8 capital letters, fixed once created)')}
            name="code"
            rules={[{ required: !editing, pattern: /^[A-Z]{2,8}$/, message: t('2–8个大写字母', '2–8 capital letters') }]}
          >
            <Input disabled={Boolean(editing)} style={{ textTransform: 'uppercase' }} />
          </Form.Item>
          <Form.Item label={t('法院名称', 'Name')} name="name" rules={[{ required: true, whitespace: true, message: t('请填写名称', 'Required') }]}>
            <Input />
          </Form.Item>
          <Form.Item label={t('上级法院', 'Reports to')} name="parentCourtId">
            <Select
              allowClear
              disabled={Boolean(editing)}
              options={(courts.data ?? []).filter((c) => c.id !== editing?.id).map((c) => ({ value: c.id, label: c.name }))}
            />
          </Form.Item>
        </>
      )}
    />
  );
}
