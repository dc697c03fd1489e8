import type { ActivityKind, PairingState } from '../../workflows';
import type { ReportStatus } from './bulletin';

/** The names the court uses on paper; the web app shows the same ones. */
export const STATE_LABELS: Record<PairingState, string> = {
  draft: '草稿',
  proposed: '待审批',
  returned: '已退回',
  approved: '已批准，待签协议',
  agreementSigned: '已签协议，待报计划',
  planFiled: '计划待备案',
  'active.collecting': '季度活动中',
  'active.reportSubmitted': '季度通报待评分',
  yearEndReview: '待年终述职',
  underReview: '述职待评议',
  scored: '已评分',
  withdrawn: '已撤销',
  rejected: '未通过',
  terminated: '已终止',
};

export const ACTIVITY_KIND_LABELS: Record<ActivityKind, string> = {
  joint_meeting: '联席会议',
  activity_day: '共建活动日',
  party_lesson: '共上党课',
  study_session: '座谈研讨/学习交流',
  lecture: '讲堂/讲座',
  volunteer_service: '志愿服务',
  theme_party_day: '主题党日',
  member_exchange: '党员结对互帮',
  other: '其他',
};

export const REPORT_STATUS_LABELS: Record<ReportStatus, string> = {
  none: '未报送',
  submitted: '已报送，待评分',
  scored: '已评分',
  returned: '已退回',
};
