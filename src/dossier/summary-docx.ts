import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import {
  ACTIVITY_KIND_LABELS,
  CATEGORY_LABELS,
  fieldLabel,
  FORM_LABELS,
  labelOf,
  MODE_LABELS,
  REPORT_STATUS_LABELS,
  STATE_LABELS,
} from '../../workflows';
import { localTime } from '../../workflows';

/** What summary.docx tells: the pairing's year as the court files it. Plain data, gathered by the dossier service. */
export interface SummaryInput {
  code: string;
  year: number;
  title: string;
  state: string;
  /** The proposal as the committee approved it (the last revision submitted before APPROVE), or as it stands. */
  proposal: {
    revision: number | null;
    approved: boolean;
    theme: string;
    problem: string;
    goals: string | null;
    mode: string;
    /** Null while the pairing has no partner. */
    form: string | null;
    leadBranch: string;
    coBranches: string[];
    partners: string[];
    categories: string[];
    liaison: string | null;
    partnerLiaisons: { partner: string; name: string; phone: string }[];
  };
  agreement: {
    signedOn: string;
    validFrom: string;
    validTo: string;
    goals: string;
    content: string;
    requirements: string;
    files: string[];
    /** 共建单位会签 (SPEC §12): per partner that countersigned, or whose paper copy the secretary recorded. */
    countersignedBy: { partner: string; paper: boolean; at: string; by: string }[];
  } | null;
  plan: {
    startQuarter: number;
    status: string;
    items: { title: string; quarter: number; dueDate: string; owner: string; deliverable?: string }[];
  } | null;
  activities: {
    heldOn: string;
    quarter: number;
    kind: string;
    title: string;
    location: string | null;
    participants: number;
    partnerParticipants: number;
    summary: string;
    files: string[];
    voided: boolean;
    voidComment: string | null;
    /** 双方确认: the partners that confirmed they took part. */
    confirmedBy: string[];
  }[];
  reports: {
    quarter: number;
    status: string;
    summary: string;
    planProgress: string | null;
    shortfallReason: string | null;
    requirementsMet: boolean;
    score: number | null;
    comment: string | null;
    submittedAt: string;
  }[];
  review: {
    summary: string;
    problemSolved: boolean;
    problemResolution: string;
    outcomes: { indicator: string; value: number; unit: string; baseline?: number | null }[];
    status: string;
    score: number | null;
    comment: string | null;
  } | null;
  /** 共建单位评价: each partner's rating of the year. */
  evaluations: { partner: string; rating: number; comment: string; at: string }[];
  quarterScores: { quarter: number; score: number }[];
  finalScore: number | null;
  /** Rank among the year's scored pairings, and how many were ranked. */
  rank: { rank: number; of: number } | null;
  audit: { chain: string; events: number; headHash: string; checkpointAt: string };
  generatedAt: string;
  timeZone: string;
}

const FONT = { ascii: 'SimSun', eastAsia: 'SimSun', hAnsi: 'SimSun', cs: 'SimSun' };
const HEADING_FONT = { ascii: 'SimHei', eastAsia: 'SimHei', hAnsi: 'SimHei', cs: 'SimHei' };
const BORDER = { style: BorderStyle.SINGLE, size: 4, color: '808080' };
const BORDERS = { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER, insideHorizontal: BORDER, insideVertical: BORDER };

const text = (value: string | number | null | undefined) => (value === null || value === undefined || value === '' ? '—' : String(value));
const quarter = (q: number) => `第${q}季度`;
const score = (value: number | null, digits = 1) => (value === null ? '—' : value.toFixed(digits));
const joined = (values: string[]) => (values.length ? values.join('、') : '—');

/** A paragraph per line, so that line breaks typed into a text field survive. */
function lines(value: string | null | undefined, bold = false): Paragraph[] {
  return text(value)
    .split(/\r?\n/)
    .map((line) => new Paragraph({ children: [new TextRun({ text: line, bold })] }));
}

const heading = (title: string) =>
  new Paragraph({ heading: HeadingLevel.HEADING_2, spacing: { before: 240, after: 120 }, children: [new TextRun(title)] });
const note = (value: string) =>
  new Paragraph({ spacing: { after: 120 }, children: [new TextRun({ text: value, color: '595959', size: 20 })] });

/** The text width of an A4 page with 1-inch margins, in twentieths of a point: widths in percent are taken from it. */
const TEXT_WIDTH = 11906 - 2 * 1440;
const twips = (percent: number) => Math.round((percent / 100) * TEXT_WIDTH);

function cell(value: string | Paragraph[], width: number, header = false): TableCell {
  return new TableCell({
    // Word and WPS read a cell width in DXA; a percentage alone is laid out as equal columns by some of them.
    width: { size: twips(width), type: WidthType.DXA },
    shading: header ? { fill: 'EDEDED' } : undefined,
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    children: typeof value === 'string' ? lines(value, header) : value,
  });
}

/** A two-column table of label and value. */
function facts(rows: [string, string][]): Table {
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [twips(24), twips(76)],
    layout: TableLayoutType.FIXED,
    borders: BORDERS,
    rows: rows.map(([label, value]) => new TableRow({ children: [cell(label, 24, true), cell(value, 76)] })),
  });
}

/** A table with a header row; widths in percent. */
function grid(headers: string[], widths: number[], rows: string[][]): Table {
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths.map(twips),
    layout: TableLayoutType.FIXED,
    borders: BORDERS,
    rows: [
      new TableRow({ tableHeader: true, children: headers.map((h, i) => cell(h, widths[i], true)) }),
      ...rows.map((row) => new TableRow({ children: row.map((value, i) => cell(value, widths[i])) })),
    ],
  });
}

/** summary.docx: the pairing's year in Chinese, ready to print and file; opens in Word and WPS (plain OOXML, SimSun). */
export function summaryDocx(s: SummaryInput): Promise<Buffer> {
  const p = s.proposal;
  const children: (Paragraph | Table)[] = [
    new Paragraph({
      heading: HeadingLevel.TITLE,
      alignment: AlignmentType.CENTER,
      spacing: { after: 120 },
      children: [new TextRun('结对共建项目档案')],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 240 },
      children: [new TextRun({ text: `${s.code}\u3000${s.title}`, bold: true, size: 28 })],
    }),
    heading('一、项目概况'),
    facts([
      ['项目编号', s.code],
      ['年度', `${s.year}年`],
      ['项目名称', s.title],
      ['当前状态', labelOf(STATE_LABELS, s.state)],
      ['牵头党支部', p.leadBranch],
      ['联合结对党支部', joined(p.coBranches)],
      ['共建单位', joined(p.partners)],
    ]),
    heading('二、结对申报'),
    note(
      p.approved
        ? `以下为机关党委批准的申报内容（第 ${p.revision ?? 1} 次提交）。`
        : p.revision
          ? `以下为第 ${p.revision} 次提交的申报内容，尚未批准。`
          : '以下为当前的申报草稿，尚未提交。',
    ),
    facts([
      ['结对主题', text(p.theme)],
      ['拟解决的实际问题', text(p.problem)],
      ['共建目标', text(p.goals)],
      ['结对方式', labelOf(MODE_LABELS, p.mode)],
      ['结对形式', p.form === null ? '—' : labelOf(FORM_LABELS, p.form)],
      ['结对类别', joined(p.categories.map((c) => labelOf(CATEGORY_LABELS, c)))],
      ['本支部联络员', text(p.liaison)],
      ['共建单位联络员', p.partnerLiaisons.length ? p.partnerLiaisons.map((l) => `${l.partner}：${l.name} ${l.phone}`).join('\n') : '—'],
    ]),
    heading('三、共建协议书'),
    ...(s.agreement
      ? [
          facts([
            ['签订日期', s.agreement.signedOn],
            ['协议期限', `${s.agreement.validFrom} 至 ${s.agreement.validTo}`],
            ['共建目标', s.agreement.goals],
            ['共建内容', s.agreement.content],
            ['共建要求', s.agreement.requirements],
            ['附件', joined(s.agreement.files)],
            [
              '共建单位会签',
              s.agreement.countersignedBy.length
                ? s.agreement.countersignedBy
                    .map((c) => `${c.partner}：${c.paper ? '纸质会签（支部书记登记）' : '已会签'}，${localTime(c.at, s.timeZone)}，${c.by}`)
                    .join('\n')
                : '—',
            ],
          ]),
        ]
      : [note('尚未签订共建协议书。')]),
    heading('四、年度计划'),
    ...(s.plan
      ? [
          note(`自${quarter(s.plan.startQuarter)}起；${s.plan.status === 'accepted' ? '已备案' : '待备案'}。`),
          grid(
            ['季度', '事项', '完成时限', '责任人', '预期成果'],
            [12, 38, 16, 14, 20],
            s.plan.items.map((i) => [quarter(i.quarter), i.title, i.dueDate, i.owner, text(i.deliverable)]),
          ),
        ]
      : [note('尚未报送年度计划。')]),
    heading('五、活动登记'),
    ...(s.activities.length
      ? [
          grid(
            ['日期', '季度', '类型', '活动名称与内容', '地点', '参加人数（本支部/共建单位）', '资料'],
            [14, 9, 11, 31, 12, 11, 12],
            s.activities.map((a) => [
              a.heldOn,
              quarter(a.quarter),
              labelOf(ACTIVITY_KIND_LABELS, a.kind) + (a.voided ? '（已作废）' : ''),
              `${a.title}\n${a.summary}${a.voided ? `\n作废理由：${text(a.voidComment)}` : ''}${a.confirmedBy.length ? `\n双方确认：${a.confirmedBy.join('、')}` : ''}`,
              text(a.location),
              `${a.participants} / ${a.partnerParticipants}`,
              joined(a.files),
            ]),
          ),
          note(
            `共 ${s.activities.filter((a) => !a.voided).length} 项活动计入考核${s.activities.some((a) => a.voided) ? `，另有 ${s.activities.filter((a) => a.voided).length} 项已作废（留档备查）` : ''}。`,
          ),
        ]
      : [note('尚无活动登记。')]),
    heading('六、季度报告与评分'),
    ...(s.reports.length
      ? [
          grid(
            ['季度', '报告内容', '联席会议与共建活动日', '状态', '得分', '评分意见'],
            [11, 37, 16, 12, 8, 16],
            s.reports.map((r) => [
              quarter(r.quarter),
              `${r.summary}${r.planProgress ? `\n计划完成情况：${r.planProgress}` : ''}\n报送时间：${localTime(r.submittedAt, s.timeZone)}`,
              r.requirementsMet ? '齐全' : `不齐全${r.shortfallReason ? `\n原因：${r.shortfallReason}` : ''}`,
              labelOf(REPORT_STATUS_LABELS, r.status === 'submitted' ? 'submitted' : r.status === 'returned' ? 'returned' : 'scored'),
              score(r.score),
              text(r.comment),
            ]),
          ),
        ]
      : [note('尚无季度报告。')]),
    heading('七、年终述职'),
    ...(s.review
      ? [
          facts([
            ['年度工作总结', s.review.summary],
            ['实际问题是否解决', s.review.problemSolved ? '已解决' : '未解决'],
            ['问题解决情况', s.review.problemResolution],
            ['述职得分', score(s.review.score)],
            ['评议意见', text(s.review.comment)],
          ]),
          ...(s.review.outcomes.length
            ? [
                new Paragraph({ spacing: { before: 120 } }),
                grid(
                  ['成效指标', fieldLabel('baseline'), '本年数值'],
                  [50, 25, 25],
                  s.review.outcomes.map((o) => [
                    o.indicator,
                    o.baseline === null || o.baseline === undefined ? '—' : `${o.baseline} ${o.unit}`,
                    `${o.value} ${o.unit}`,
                  ]),
                ),
              ]
            : []),
        ]
      : [note('尚未提交年终述职。')]),
    ...(s.evaluations.length
      ? [
          new Paragraph({ spacing: { before: 120 } }),
          grid(
            ['共建单位', '评价（1–5）', '评价意见'],
            [30, 15, 55],
            s.evaluations.map((e) => [e.partner, String(e.rating), `${e.comment}\n${localTime(e.at, s.timeZone)}`]),
          ),
        ]
      : []),
    heading('八、总分与排名'),
    facts([
      ['季度得分', s.quarterScores.length ? s.quarterScores.map((q) => `${quarter(q.quarter)} ${score(q.score)}`).join('；') : '—'],
      ['述职得分', score(s.review?.score ?? null)],
      ['总分', s.finalScore === null ? '—' : `${score(s.finalScore, 2)}（季度平均分 × 60% + 述职得分 × 40%）`],
      ['年度排名', s.rank ? `第 ${s.rank.rank} 名（共 ${s.rank.of} 个已评分项目）` : '—'],
    ]),
    heading('九、审计记录'),
    note(
      `本项目审计链（${s.audit.chain}）共 ${s.audit.events} 条记录，末条哈希 ${s.audit.headHash}，已于 ${localTime(s.audit.checkpointAt, s.timeZone)} 签名。` +
        '全部记录见 audit/chain.jsonl，校验方法见 README.txt（运行 node verify.mjs）。',
    ),
    note(`本档案生成于 ${localTime(s.generatedAt, s.timeZone)}。`),
  ];
  const doc = new Document({
    creator: '共建 Gongjian',
    title: `${s.code} ${s.title} 档案`,
    styles: {
      default: {
        document: { run: { font: FONT, size: 22 }, paragraph: { spacing: { line: 300 } } },
        title: { run: { font: HEADING_FONT, size: 36, bold: true, color: '000000' } },
        heading2: { run: { font: HEADING_FONT, size: 28, bold: true, color: '000000' } },
      },
    },
    sections: [
      {
        properties: { page: { margin: { top: 1440, bottom: 1440, left: 1440, right: 1440 } } },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({ children: [`${s.code}\u3000第 `, PageNumber.CURRENT, ' 页 共 ', PageNumber.TOTAL_PAGES, ' 页'], size: 18 }),
                ],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
