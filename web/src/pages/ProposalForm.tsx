import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Alert, App, Button, Card, Checkbox, Col, Form, Input, Row, Select, Space, Spin } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { patch, post } from '../api/client';
import { errorMessage } from '../api/errors';
import { invalidatePairing, keys, usePairing } from '../api/queries';
import type { Branch, Id, Pairing, Partner, PartnerLiaison } from '../api/types';
import { useAuth } from '../auth';
import { ErrorAlert, NotFound, PageTitle, StateTag, isNotFound } from '../components/common';
import { applyServerErrors } from '../components/formErrors';
import UserPicker from '../components/UserPicker';
import { currentYear } from '../dates';
import { useOrg } from '../hooks';
import { useLang } from '../i18n';

/** A phone number as people write one: digits, with an area code, extension or country code (0573-85123456, 138 0000 0000). */
export const PHONE = /^\+?[\d\s-]{5,20}$/;
import { CATEGORIES, PROPOSAL_FIELDS, partnerKindLabel } from '../labels';

interface ProposalValues {
  year: number;
  title: string;
  theme: string;
  problem: string;
  goals?: string;
  leadBranchId?: Id;
  coBranchIds?: Id[];
  partnerIds: Id[];
  categories: string[];
  liaisonUserId?: Id | null;
  partnerLiaisons?: PartnerLiaison[];
}

const FIELDS = ['year', 'title', 'theme', 'problem', 'goals', 'leadBranchId', 'coBranchIds', 'partnerIds', 'categories', 'liaisonUserId', 'partnerLiaisons'];

/** Choices for new pairings: active ones, plus those the pairing already has (a deactivated one stays, marked). */
function choices<T extends Branch | Partner>(rows: T[], chosen: Id[], label: (row: T) => string, inactive: string) {
  return rows
    .filter((r) => r.active !== false || chosen.some((c) => String(c) === String(r.id)))
    .map((r) => ({ value: r.id, label: r.active === false ? `${label(r)}（${inactive}）` : label(r) }));
}

export default function ProposalForm() {
  const { id } = useParams();
  const editing = !!id;
  const { t, lang } = useLang();
  const { user, hasRole } = useAuth();
  const { org } = useOrg();
  const { message } = App.useApp();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [form] = Form.useForm<ProposalValues>();
  const [busy, setBusy] = useState(false);
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const existing = usePairing(editing && /^\d+$/.test(id!) ? id : undefined);
  const p = existing.data?.pairing;
  const label = (field: string) => PROPOSAL_FIELDS[field][lang === 'en' ? 1 : 0];

  const isCommittee = hasRole('committee');
  const isSecretary = hasRole('secretary');
  const thisYear = currentYear();

  useEffect(() => {
    if (p)
      form.setFieldsValue({
        year: p.year,
        title: p.title,
        theme: p.theme,
        problem: p.problem,
        goals: p.goals,
        leadBranchId: p.leadBranchId,
        coBranchIds: p.coBranchIds ?? [],
        partnerIds: p.partnerIds ?? [],
        categories: p.categories ?? [],
        liaisonUserId: p.liaisonUserId ?? null,
        partnerLiaisons: p.partnerLiaisons ?? [],
      });
  }, [p, form]);

  const leadBranchId = Form.useWatch('leadBranchId', form);
  const chosenPartners = Form.useWatch('partnerIds', form) ?? [];
  const chosenCoBranches = Form.useWatch('coBranchIds', form) ?? [];
  const effectiveLead = leadBranchId ?? p?.leadBranchId ?? user?.branchId ?? null;

  const onFinish = async (v: ProposalValues) => {
    setBusy(true);
    setOtherErrors([]);
    const body: Record<string, unknown> = {
      // The year is part of the code (GJ-<year>-<seq>): set once at creation.
      ...(editing ? {} : { year: v.year }),
      title: v.title?.trim(),
      theme: v.theme?.trim() ?? '',
      problem: v.problem?.trim() ?? '',
      // Emptied while editing, the goals are cleared (null); a new draft simply has none.
      goals: v.goals?.trim() || (editing ? null : undefined),
      partnerIds: v.partnerIds ?? [],
      categories: v.categories ?? [],
      coBranchIds: v.coBranchIds ?? [],
      partnerLiaisons: (v.partnerLiaisons ?? []).filter((l) => l && l.partnerId !== undefined && l.name),
    };
    if (v.liaisonUserId !== undefined && v.liaisonUserId !== null) body.liaisonUserId = v.liaisonUserId;
    else if (editing) body.liaisonUserId = null;
    if (!editing && isCommittee && v.leadBranchId !== undefined && v.leadBranchId !== null) body.leadBranchId = v.leadBranchId;
    try {
      const saved = editing
        ? await patch<Pairing>(`/api/pairings/${encodeURIComponent(id!)}`, body)
        : await post<Pairing>('/api/pairings', body);
      await (editing ? invalidatePairing(client, id!) : client.invalidateQueries({ queryKey: keys.pairings }));
      message.success(editing ? t('已保存修改', 'Changes saved') : t('已创建结对项目（草稿）', 'Pairing created (draft)'));
      navigate(`/pairings/${saved?.id ?? id}`);
    } catch (e) {
      setOtherErrors(applyServerErrors(form, e, FIELDS, lang));
      message.error(errorMessage(e, lang));
    } finally {
      setBusy(false);
    }
  };

  if (editing && (!/^\d+$/.test(id!) || isNotFound(existing.error))) return <NotFound />;
  if (editing && existing.isLoading) return <Spin />;
  if (editing && existing.error) return <ErrorAlert error={existing.error} onRetry={() => void existing.refetch()} />;
  const editable = !p || p.state === 'draft' || p.state === 'returned';
  const inactive = t('已停用', 'deactivated');
  const branchOptions = choices(org?.branches ?? [], [...chosenCoBranches, ...(p ? [p.leadBranchId] : [])], (b) => b.name, inactive);
  const partnerOptions = choices(org?.partners ?? [], chosenPartners, (x) => `${x.name}（${partnerKindLabel(x.kind, lang)}）`, inactive);

  return (
    <>
      <PageTitle
        title={editing ? t('修改结对申报', 'Edit proposal') : t('新建结对项目', 'New pairing')}
        extra={
          p && (
            <Space>
              {p.code} <StateTag state={p.state} />
            </Space>
          )
        }
      />
      {!editable && (
        <Alert type="warning" showIcon title={t('该项目已提交，只有草稿或被退回的项目可以修改', 'Only draft or returned pairings can be edited')} style={{ marginBottom: 12 }} />
      )}
      <Card>
        {otherErrors.length > 0 && (
          <Alert
            type="error"
            showIcon
            title={t('请修改以下内容', 'Please fix the following')}
            description={<ul style={{ margin: 0 }}>{otherErrors.map((m, i) => <li key={i}>{m}</li>)}</ul>}
            style={{ marginBottom: 12 }}
          />
        )}
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t(
            '草稿只需年度和项目名称，其余可以稍后补充；提交申报时系统会指出还缺哪些内容。',
            'A draft needs only the year and a title; the rest can follow. Submitting tells you what is still missing.',
          )}
        />
        <Form<ProposalValues>
          form={form}
          layout="vertical"
          disabled={!editable}
          onFinish={onFinish}
          initialValues={{ year: thisYear, categories: [], partnerIds: [], coBranchIds: [], partnerLiaisons: [] }}
          scrollToFirstError
        >
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item
                label={t('年度', 'Year')}
                name="year"
                rules={[{ required: true, message: t('请选择年度', 'Choose the year') }]}
                extra={editing ? t('年度在创建后不能修改', 'The year is fixed once created') : undefined}
              >
                <Select disabled={editing} options={Array.from({ length: 7 }, (_, i) => thisYear + 1 - i).map((y) => ({ value: y, label: t(`${y}年`, String(y)) }))} />
              </Form.Item>
            </Col>
            {isCommittee && !editing && (
              <Col xs={24} md={16}>
                <Form.Item
                  label={t('牵头党支部（指导性安排）', 'Lead branch (directed pairing)')}
                  name="leadBranchId"
                  extra={isSecretary ? t('不选则为本支部的自愿结对', 'Leave empty for a voluntary pairing of your own branch') : undefined}
                  rules={isSecretary ? [] : [{ required: true, message: t('请选择牵头党支部', 'Choose the lead branch') }]}
                >
                  <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={branchOptions} />
                </Form.Item>
              </Col>
            )}
          </Row>
          <Form.Item label={label('title')} name="title" rules={[{ required: true, whitespace: true, message: t('请填写项目名称', 'Enter the title') }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item label={label('theme')} name="theme" extra={t('每年确定一个结对主题（提交申报前须填写）', 'One theme per year (needed before submitting)')}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item label={label('problem')} name="problem" extra={t('每年解决一个实际问题（提交申报前须填写）', 'One practical problem per year (needed before submitting)')}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
          </Form.Item>
          <Form.Item label={label('goals')} name="goals">
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
          </Form.Item>
          <Form.Item label={t('共建单位（可多选）', 'Partner organisations')} name="partnerIds" extra={t('提交申报前至少选择一个', 'At least one before submitting')}>
            <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={partnerOptions} placeholder={t('选择共建单位', 'Choose partners')} />
          </Form.Item>
          <Form.Item label={t('联合结对的其他党支部（可选）', 'Other branches in a joint pairing (optional)')} name="coBranchIds">
            <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={branchOptions.filter((b) => String(b.value) !== String(effectiveLead))} />
          </Form.Item>
          <Form.Item
            label={label('categories')}
            name="categories"
            extra={t('组织结对、活动结对、党员结对、项目结对，提交申报前至少选择一项', 'At least one before submitting')}
          >
            <Checkbox.Group options={Object.entries(CATEGORIES).map(([k, v]) => ({ value: k, label: v[lang === 'en' ? 1 : 0] }))} />
          </Form.Item>
          <Form.Item
            label={label('liaisonUserId')}
            name="liaisonUserId"
            extra={t('结对双方各确定1名党员担任联络员；提交前须指定', 'Each side names one liaison; needed before submitting')}
          >
            <UserPicker branchId={effectiveLead} aria-label={label('liaisonUserId')} />
          </Form.Item>
          <Form.List name="partnerLiaisons">
            {(fields, { add, remove }) => (
              <Form.Item label={label('partnerLiaisons')}>
                {fields.map((f) => (
                  <Row key={f.key} gutter={8}>
                    <Col xs={24} sm={9}>
                      <Form.Item name={[f.name, 'partnerId']} rules={[{ required: true, message: t('选择单位', 'Choose') }]}>
                        <Select
                          aria-label={t('联络员所在单位', 'Partner')}
                          placeholder={t('所在单位', 'Partner')}
                          options={partnerOptions.filter((o) => chosenPartners.some((c) => String(c) === String(o.value)))}
                        />
                      </Form.Item>
                    </Col>
                    <Col xs={10} sm={6}>
                      <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true, message: t('填写姓名', 'Name') }]}>
                        <Input placeholder={t('姓名', 'Name')} aria-label={t('联络员姓名', 'Liaison name')} />
                      </Form.Item>
                    </Col>
                    <Col xs={11} sm={7}>
                      <Form.Item name={[f.name, 'phone']} rules={[
                          { required: true, whitespace: true, message: t('填写电话', 'Phone') },
                          { pattern: PHONE, message: t('电话只能含数字、空格、“-”和“+”，如 0573-85123456', 'Digits, spaces, “-” and “+” only, e.g. 0573-85123456') },
                        ]}
                      >
                        <Input placeholder={t('联系电话', 'Phone')} aria-label={t('联系电话', 'Phone')} inputMode="tel" />
                      </Form.Item>
                    </Col>
                    <Col xs={3} sm={2}>
                      <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('删除此联络员', 'Remove')} />
                    </Col>
                  </Row>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})}>
                  {t('添加共建单位联络员', 'Add partner liaison')}
                </Button>
              </Form.Item>
            )}
          </Form.List>
          <Space wrap>
            <Button type="primary" htmlType="submit" loading={busy}>
              {editing ? t('保存修改', 'Save changes') : t('保存草稿', 'Save draft')}
            </Button>
            <Button onClick={() => navigate(-1)} disabled={false}>
              {t('取消', 'Cancel')}
            </Button>
          </Space>
          <Alert
            type="info"
            showIcon
            style={{ marginTop: 16 }}
            title={t('保存后，请在项目页面点击“提交申报”，报机关党委审批。', 'After saving, press “Submit” on the pairing page to send it to the committee.')}
          />
        </Form>
      </Card>
    </>
  );
}
