import { Form, Input, Select, Switch, Tag } from 'antd';
import type { Partner } from '../../api/types';
import { useLang } from '../../i18n';
import { PARTNER_KINDS, partnerKindLabel } from '../../labels';
import CrudPage from './CrudPage';

export default function Partners() {
  const { t, lang } = useLang();
  return (
    <CrudPage<Partner>
      title={t('共建单位管理', 'Partner organisations')}
      path="/api/partners"
      queryKey={['partners']}
      newLabel={t('新增共建单位', 'New partner')}
      fieldNames={['name', 'kind', 'contact', 'active']}
      columns={[
        { title: 'ID', dataIndex: 'id', width: 70 },
        { title: t('名称', 'Name'), dataIndex: 'name' },
        { title: t('类型', 'Kind'), key: 'k', render: (_, p) => partnerKindLabel(p.kind, lang) },
        { title: t('联系方式', 'Contact'), dataIndex: 'contact', render: (v) => v || '—' },
        {
          title: t('状态', 'Status'),
          key: 'active',
          render: (_, p) => (p.active === false ? <Tag>{t('已停用', 'Deactivated')}</Tag> : <Tag color="green">{t('启用', 'Active')}</Tag>),
        },
      ]}
      toForm={(p) => ({ name: p.name, kind: p.kind, contact: p.contact ?? '', active: p.active !== false })}
      toBody={(v, editing) => {
        const contact = String(v.contact ?? '').trim();
        return {
          name: String(v.name ?? '').trim(),
          kind: v.kind,
          ...(contact || editing ? { contact } : {}),
          ...(editing ? { active: v.active !== false } : {}),
        };
      }}
      fields={(_, editing) => (
        <>
          <Form.Item label={t('单位（党支部）名称', 'Name')} name="name" rules={[{ required: true, whitespace: true, message: t('请填写名称', 'Required') }]}>
            <Input />
          </Form.Item>
          <Form.Item label={t('单位类型', 'Kind')} name="kind" rules={[{ required: true, message: t('请选择类型', 'Required') }]}>
            <Select options={Object.keys(PARTNER_KINDS).map((k) => ({ value: k, label: partnerKindLabel(k, lang) }))} />
          </Form.Item>
          <Form.Item label={t('联系方式（可选）', 'Contact (optional)')} name="contact">
            <Input />
          </Form.Item>
          {editing && (
            <Form.Item
              label={t('启用', 'Active')}
              name="active"
              valuePropName="checked"
              extra={t('停用后，已有项目仍显示该单位，新项目不能再选择它；单位不会被删除', 'Deactivated: old pairings keep it, new ones cannot choose it; never deleted')}
            >
              <Switch />
            </Form.Item>
          )}
        </>
      )}
    />
  );
}
