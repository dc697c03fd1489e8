import { Form, Input, Select } from 'antd';
import type { Branch } from '../../api/types';
import { useOrg } from '../../hooks';
import { useLang } from '../../i18n';
import CrudPage from './CrudPage';

export default function Branches() {
  const { t } = useLang();
  const { org, userName } = useOrg();
  return (
    <CrudPage<Branch>
      title={t('党支部管理', 'Branches')}
      path="/api/branches"
      newLabel={t('新增党支部', 'New branch')}
      fieldNames={['name', 'secretaryUserId']}
      columns={[
        { title: 'ID', dataIndex: 'id', width: 70 },
        { title: t('名称', 'Name'), dataIndex: 'name' },
        { title: t('支部书记', 'Secretary'), key: 's', render: (_, b) => (b.secretaryUserId ? userName(b.secretaryUserId) : '—') },
      ]}
      toForm={(b) => ({ name: b.name, secretaryUserId: b.secretaryUserId ?? undefined })}
      toBody={(v) => {
        const body: Record<string, unknown> = { name: String(v.name ?? '').trim() };
        if (v.secretaryUserId !== undefined) body.secretaryUserId = v.secretaryUserId ?? null;
        return body;
      }}
      fields={() => (
        <>
          <Form.Item label={t('党支部名称', 'Name')} name="name" rules={[{ required: true, whitespace: true, message: t('请填写名称', 'Required') }]}>
            <Input />
          </Form.Item>
          <Form.Item label={t('支部书记（可选）', 'Secretary (optional)')} name="secretaryUserId">
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              options={(org?.users ?? []).map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }))}
            />
          </Form.Item>
        </>
      )}
    />
  );
}
