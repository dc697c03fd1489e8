import { Button, Col, Form, Input, Row, Select } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import UserPicker from '../components/UserPicker';
import { useOrg } from '../hooks';
import { partnerKindLabel } from '../labels';
import type { EventForm } from './types';

export const UPDATE_LIAISONS: EventForm = {
  comment: 'optional',
  wide: true,
  ruleFields: { LIAISON_NOT_IN_BRANCH: 'liaisonUserId', PARTNER_NOT_IN_PAIRING: 'partnerLiaisons' },
  initialValues: ({ pairing }) => ({ liaisonUserId: pairing.liaisonUserId ?? null, partnerLiaisons: pairing.partnerLiaisons ?? [] }),
  payload: (v) => ({
    ...(v.liaisonUserId !== undefined && v.liaisonUserId !== null ? { liaisonUserId: v.liaisonUserId } : {}),
    partnerLiaisons: ((v.partnerLiaisons as Record<string, unknown>[]) ?? []).filter((l) => l && l.partnerId !== undefined && l.name),
  }),
  Fields: ({ ctx: { pairing: p, t, lang } }) => {
    const { org, partnerName } = useOrg();
    const partnerOptions = (p.partnerIds ?? []).map((id) => {
      const x = org?.partners.find((y) => String(y.id) === String(id));
      return { value: id, label: x ? `${x.name}（${partnerKindLabel(x.kind, lang)}）` : partnerName(id) };
    });
    return (
      <>
        <Form.Item label={t('本支部联络员', 'Our liaison')} name="liaisonUserId">
          <UserPicker branchId={p.leadBranchId} aria-label={t('本支部联络员', 'Our liaison')} />
        </Form.Item>
        <Form.List name="partnerLiaisons">
          {(fields, { add, remove }) => (
            <Form.Item label={t('共建单位联络员', 'Partner liaisons')}>
              {fields.map((f) => (
                <Row key={f.key} gutter={8}>
                  <Col xs={24} sm={9}>
                    <Form.Item name={[f.name, 'partnerId']}>
                      <Select options={partnerOptions} aria-label={t('所在单位', 'Partner')} placeholder={t('所在单位', 'Partner')} />
                    </Form.Item>
                  </Col>
                  <Col xs={10} sm={6}>
                    <Form.Item name={[f.name, 'name']}>
                      <Input placeholder={t('姓名', 'Name')} aria-label={t('联络员姓名', 'Liaison name')} />
                    </Form.Item>
                  </Col>
                  <Col xs={11} sm={7}>
                    <Form.Item name={[f.name, 'phone']}>
                      <Input placeholder={t('联系电话', 'Phone')} aria-label={t('联系电话', 'Phone')} inputMode="tel" />
                    </Form.Item>
                  </Col>
                  <Col xs={3} sm={2}>
                    <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('删除', 'Remove')} />
                  </Col>
                </Row>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})}>
                {t('添加共建单位联络员', 'Add partner liaison')}
              </Button>
            </Form.Item>
          )}
        </Form.List>
      </>
    );
  },
};
