import type { PartnerKind } from '../organisation/partner.entity';
import type { Role } from '../identity/user.entity';

/** The court's ten party branches named in the article. */
export const DEMO_BRANCHES = [
  '审管办与刑庭支部',
  '新仓人民法庭党支部',
  '新埭人民法庭党支部',
  '立案庭党支部',
  '法警大队党支部',
  '行政庭党支部',
  '民一庭党支部',
  '民二庭党支部',
  '乍浦人民法庭党支部',
  '执行局党支部',
] as const;

/** The partner organisations named in the article, with the kind of body each is. */
export const DEMO_PARTNERS: { name: string; kind: PartnerKind; contact: string | null }[] = [
  { name: '平湖市教育局机关党支部', kind: 'government', contact: null },
  { name: '新仓社会治理办党支部', kind: 'government', contact: null },
  { name: '新埭镇司法所', kind: 'government', contact: null },
  { name: '平湖市社会治理中心党支部', kind: 'public_institution', contact: null },
  { name: '平湖市公安局看守所党支部', kind: 'government', contact: null },
  { name: '平湖仲裁委', kind: 'public_institution', contact: null },
  { name: '嘉兴港区仲裁委', kind: 'public_institution', contact: null },
  { name: '平湖市企业服务中心', kind: 'public_institution', contact: null },
  { name: '乍浦镇司法所党支部', kind: 'government', contact: null },
  { name: '乍浦镇综治办党支部', kind: 'government', contact: null },
  { name: '平湖综合行政执法队直属中队党支部', kind: 'government', contact: null },
];

export const DEMO_PASSWORD = 'Demo@2026';

/** One demo user per role; the secretaries lead the branches whose pairings the demo shows. */
export const DEMO_USERS: {
  username: string;
  displayName: string;
  roles: Role[];
  branch: (typeof DEMO_BRANCHES)[number] | null;
  /** A `partner` user's organisation (SPEC §12). */
  partner?: string;
}[] = [
  { username: 'secretary', displayName: '李立案（立案庭党支部书记）', roles: ['secretary'], branch: '立案庭党支部' },
  { username: 'secretary2', displayName: '陈民一（民一庭党支部书记）', roles: ['secretary'], branch: '民一庭党支部' },
  { username: 'committee', displayName: '王机关（机关党委）', roles: ['committee'], branch: null },
  { username: 'leader', displayName: '赵院长（院党组）', roles: ['leader'], branch: null },
  { username: 'auditor', displayName: '孙审计（审计）', roles: ['auditor'], branch: null },
  { username: 'member', displayName: '周联络（立案庭党员、联络员）', roles: ['member'], branch: '立案庭党支部' },
  { username: 'secretary3', displayName: '吴新仓（新仓人民法庭党支部书记）', roles: ['secretary'], branch: '新仓人民法庭党支部' },
  { username: 'secretary4', displayName: '郑执行（执行局党支部书记）', roles: ['secretary'], branch: '执行局党支部' },
  {
    username: 'partner',
    displayName: '钱联络（平湖市社会治理中心党支部联络人）',
    roles: ['partner'],
    branch: null,
    partner: '平湖市社会治理中心党支部',
  },
];
