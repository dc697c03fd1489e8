import { Form, Input, Select, Switch, Tag } from 'antd';
import type { User } from '../../api/types';
import { useOrg } from '../../hooks';
import { useLang } from '../../i18n';
import { ROLES, roleLabel } from '../../labels';
import CrudPage from './CrudPage';

export default function Users() {
  const { t, lang } = useLang();
  const { org, branchName, partnerName } = useOrg();
  return (
    <CrudPage<User>
      title={t('用户管理', 'Users')}
      path="/api/users"
      queryKey={['users']}
      afterSave={(saved) => {
        const cleared = (saved as { clearedSecretaryOf?: { name: string }[] } | null)?.clearedSecretaryOf ?? [];
        return cleared.length
          ? t(
              `该用户已不是${cleared.map((b) => b.name).join('、')}的在职支部书记，这些支部的“支部书记”已清空，请到党支部管理中重新指定。`,
              `This user is no longer an active secretary of ${cleared.map((b) => b.name).join(', ')}; those branches no longer name a secretary — choose one under Branches.`,
            )
          : null;
      }}
      newLabel={t('新增用户', 'New user')}
      fieldNames={['username', 'displayName', 'password', 'roles', 'branchId', 'partnerId', 'active']}
      columns={[
        { title: 'ID', dataIndex: 'id', width: 70 },
        { title: t('用户名', 'Username'), dataIndex: 'username' },
        { title: t('姓名', 'Name'), dataIndex: 'displayName' },
        { title: t('角色', 'Roles'), key: 'roles', render: (_, u) => (u.roles ?? []).map((r) => <Tag key={r}>{roleLabel(r, lang)}</Tag>) },
        {
          title: t('所在党支部 / 共建单位', 'Branch / partner'),
          key: 'branch',
          render: (_, u) => (u.branchId ? branchName(u.branchId) : u.partnerId ? partnerName(u.partnerId) : '—'),
        },
        { title: t('状态', 'Status'), key: 'active', render: (_, u) => (u.active === false ? <Tag>{t('已停用', 'Inactive')}</Tag> : <Tag color="green">{t('启用', 'Active')}</Tag>) },
      ]}
      toForm={(u) => ({ username: u.username, displayName: u.displayName, roles: u.roles, branchId: u.branchId ?? undefined, partnerId: u.partnerId ?? undefined, active: u.active !== false })}
      toBody={(v, editing) => {
        const b: Record<string, unknown> = {
          displayName: v.displayName,
          roles: v.roles,
          branchId: v.branchId ?? null,
          partnerId: v.partnerId ?? null,
          active: v.active !== false,
        };
        if (!editing) b.username = v.username;
        if (v.password) b.password = v.password;
        return b;
      }}
      fields={(_, editing) => (
        <>
          <Form.Item label={t('用户名', 'Username')} name="username" rules={[{ required: !editing, whitespace: true, message: t('请填写用户名', 'Required') }]}>
            <Input disabled={!!editing} autoComplete="off" />
          </Form.Item>
          <Form.Item label={t('姓名', 'Display name')} name="displayName" rules={[{ required: true, whitespace: true, message: t('请填写姓名', 'Required') }]}>
            <Input />
          </Form.Item>
          <Form.Item
            label={editing ? t('新密码（不改请留空）', 'New password (leave empty to keep)') : t('初始密码', 'Password')}
            name="password"
            rules={[{ required: !editing, message: t('请设置密码', 'Required') }, { min: 8, message: t('密码至少8位', 'At least 8 characters') }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item label={t('角色', 'Roles')} name="roles" rules={[{ required: true, type: 'array', min: 1, message: t('至少选择一个角色', 'Choose a role') }]}>
            <Select mode="multiple" options={Object.keys(ROLES).map((r) => ({ value: r, label: roleLabel(r, lang) }))} />
          </Form.Item>
          <Form.Item label={t('所在党支部（支部书记、党员必填）', 'Branch (needed for secretaries and members)')} name="branchId">
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              options={(org?.branches ?? [])
                .filter((b) => b.active !== false || String(b.id) === String(editing?.branchId))
                .map((b) => ({ value: b.id, label: b.active === false ? `${b.name}（${t('已停用', 'deactivated')}）` : b.name }))}
            />
          </Form.Item>
          <Form.Item label={t('共建单位（共建单位联络人必填）', 'Partner (needed for partner liaisons)')} name="partnerId">
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              options={(org?.partners ?? []).filter((p) => p.active !== false).map((p) => ({ value: p.id, label: p.name }))}
            />
          </Form.Item>
          <Form.Item label={t('启用', 'Active')} name="active" valuePropName="checked" initialValue={true} extra={t('停用后该用户无法登录和操作；用户不会被删除', 'An inactive user can neither sign in nor act; users are never deleted')}>
            <Switch />
          </Form.Item>
        </>
      )}
    />
  );
}
