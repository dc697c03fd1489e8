import { Form, Input, Switch, Tag, Typography } from 'antd';
import type { Branch } from '../../api/types';
import UserPicker from '../../components/UserPicker';
import { useOrg } from '../../hooks';
import { useLang } from '../../i18n';
import CrudPage from './CrudPage';

export default function Branches() {
  const { t } = useLang();
  const { userName } = useOrg();
  return (
    <CrudPage<Branch>
      title={t('党支部管理', 'Branches')}
      path="/api/branches"
      queryKey={['branches']}
      newLabel={t('新增党支部', 'New branch')}
      fieldNames={['name', 'secretaryUserId', 'active']}
      columns={[
        { title: 'ID', dataIndex: 'id', width: 70 },
        { title: t('名称', 'Name'), dataIndex: 'name' },
        { title: t('支部书记', 'Secretary'), key: 's', render: (_, b) => (b.secretaryUserId ? userName(b.secretaryUserId) : '—') },
        {
          title: t('状态', 'Status'),
          key: 'active',
          render: (_, b) => (b.active === false ? <Tag>{t('已停用', 'Deactivated')}</Tag> : <Tag color="green">{t('启用', 'Active')}</Tag>),
        },
      ]}
      toForm={(b) => ({ name: b.name, secretaryUserId: b.secretaryUserId ?? null, active: b.active !== false })}
      toBody={(v, editing) => ({
        name: String(v.name ?? '').trim(),
        ...(editing ? { secretaryUserId: v.secretaryUserId ?? null, active: v.active !== false } : {}),
      })}
      fields={(_, editing) => (
        <>
          <Form.Item label={t('党支部名称', 'Name')} name="name" rules={[{ required: true, whitespace: true, message: t('请填写名称', 'Required') }]}>
            <Input />
          </Form.Item>
          {editing ? (
            <>
              <Form.Item
                label={t('支部书记（可选）', 'Secretary (optional)')}
                name="secretaryUserId"
                extra={t('只能选择本支部在职的支部书记；可在用户管理中设置用户的角色和所在支部', 'Only an active secretary of this branch; set roles and branch under Users')}
              >
                <UserPicker branchId={editing.id} roles={['secretary']} placeholder={t('选择支部书记', 'Choose the secretary')} aria-label={t('支部书记', 'Secretary')} />
              </Form.Item>
              <Form.Item
                label={t('启用', 'Active')}
                name="active"
                valuePropName="checked"
                extra={t('停用后，已有项目仍显示该支部，新项目和新用户不能再选择它；支部不会被删除', 'Deactivated: old pairings keep it, new pairings and users cannot choose it; never deleted')}
              >
                <Switch />
              </Form.Item>
            </>
          ) : (
            <Typography.Paragraph type="secondary">
              {t('新支部建好后，先在用户管理中把支部书记分到本支部，再回来指定支部书记。', 'Once created, assign its secretary to it under Users, then name them here.')}
            </Typography.Paragraph>
          )}
        </>
      )}
    />
  );
}
