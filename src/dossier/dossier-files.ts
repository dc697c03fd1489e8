import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { AuditEventView } from '../audit/audit.service';
import { localTime } from '../../workflows';

/** One evidence file of a dossier: where it sits in the ZIP and what the manifest says of it. */
export interface EvidenceFile {
  attachmentId: number;
  /** `evidence/<original file name>`, made unique within the dossier. */
  path: string;
  sha256: string;
  size: number;
  uploadedBy: string;
  uploadedAt: string;
  /** The seqs of the audit events that used it. */
  usedBySeqs: number[];
}

/** The columns verify.mjs reads (文件, 附件编号, SHA-256, 大小（字节）) and those people read. */
export const MANIFEST_COLUMNS = ['文件', '附件编号', 'SHA-256', '大小（字节）', '上传人', '上传时间', '使用该文件的审计序号'] as const;

export function manifestCsv(files: readonly EvidenceFile[], timeZone: string): string {
  return stringify(
    files.map((f) => [f.path, f.attachmentId, f.sha256, f.size, f.uploadedBy, localTime(f.uploadedAt, timeZone), f.usedBySeqs.join('、')]),
    {
      bom: true,
      header: true,
      columns: [...MANIFEST_COLUMNS],
      record_delimiter: 'windows',
      escape_formulas: true,
      quoted_match: /[\r\n]/,
      cast: { number: (value) => String(value) },
    },
  );
}

/** The chain exactly as GET /api/pairings/:id/history serves it, one event per line. */
export const chainJsonl = (history: readonly AuditEventView[]) => history.map((event) => `${JSON.stringify(event)}\n`).join('');

/** Original file names, made unique and safe as ZIP paths: a second 照片.jpg becomes 照片 (2).jpg. */
export function evidencePaths(filenames: readonly string[]): string[] {
  const taken = new Set<string>(['manifest.csv']);
  return filenames.map((original) => {
    const safe = original.replace(/[/\\]/g, '_').replace(/^\.+/, '') || 'file';
    const dot = safe.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [safe.slice(0, dot), safe.slice(dot)] : [safe, ''];
    let name = safe;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${stem} (${n})${ext}`;
    taken.add(name.toLowerCase());
    return `evidence/${name}`;
  });
}

/** Which events used which attachment: by the ids they name (attachmentIds) or the files they vouch for (attachments). */
export function attachmentUses(history: readonly AuditEventView[]): Map<number, number[]> {
  const uses = new Map<number, number[]>();
  for (const event of history) {
    const payload = event.payload as { attachmentIds?: unknown; attachments?: { id?: unknown }[] } | null;
    if (!payload || typeof payload !== 'object') continue;
    const ids = new Set<number>();
    if (Array.isArray(payload.attachmentIds)) for (const id of payload.attachmentIds) if (typeof id === 'number') ids.add(id);
    if (Array.isArray(payload.attachments)) for (const a of payload.attachments) if (typeof a?.id === 'number') ids.add(a.id);
    for (const id of ids) uses.set(id, [...(uses.get(id) ?? []), event.seq]);
  }
  return uses;
}

/** verify.mjs, read from the source tree (the compiled app runs from dist/, the tests from src/). */
export function verifierScript(): Buffer {
  for (const candidate of [join(__dirname, 'verify.mjs'), join(__dirname, '..', '..', '..', 'src', 'dossier', 'verify.mjs')]) {
    if (existsSync(candidate)) return readFileSync(candidate);
  }
  throw new Error('src/dossier/verify.mjs is missing from this installation');
}

export interface ReadmeFacts {
  code: string;
  title: string;
  chain: string;
  events: number;
  headHash: string;
  evidence: number;
  generatedAt: string;
  keyFingerprint: string;
  timeZone: string;
}

/** README.txt of one dossier: what is inside and how to check it, by script or by hand. */
export function dossierReadme(f: ReadmeFacts): string {
  return `${[
    `结对共建项目档案 ${f.code} ${f.title}`,
    `生成时间：${localTime(f.generatedAt, f.timeZone)}`,
    '',
    '一、档案内容',
    '  summary.docx          项目概况、申报（批准稿）、共建协议书、年度计划、活动登记、季度报告与评分、年终述职、总分与排名，可直接打印归档（Word、WPS 均可打开）',
    `  evidence/             全部活动资料及附件原件（${f.evidence} 个），evidence/manifest.csv 列出每个文件的 SHA-256、大小、上传人、上传时间和使用它的审计序号`,
    `  audit/chain.jsonl     本项目审计链的全部 ${f.events} 条记录，每行一条，与系统“办理记录”完全一致`,
    '  audit/checkpoint.json 系统以 Ed25519 密钥签名的检查点：审计链的末条序号和哈希',
    '  audit/public-key.pem  验证签名用的公钥',
    '  verify.mjs            离线校验程序（Node.js 20 及以上，无需联网、无需安装任何软件包）',
    '',
    '二、如何校验',
    '  在本文件夹中运行：node verify.mjs',
    '  显示 OK 即：每行审计记录恰是系统“办理记录”给出的字段（不多不少，类型一致，写法一字不差），哈希和前后链接都已重新计算无误；',
    '  检查点签名有效且审计链恰好止于检查点所记的末条；每个资料文件的 SHA-256 与清单一致，审计记录中载明的文件哈希也与之一致；',
    '  清单“使用该文件的审计序号”一栏恰是审计链中使用该文件的记录。否则显示 FAILED 及第一处问题（文件名、行号或序号）。',
    '  注意：清单中的“上传人”“上传时间”两栏取自系统的附件登记。上传本身不是审计事件，审计链没有记录，verify.mjs 无法校验这两栏，',
    '  仅供参考；审计链记录的是使用该文件的那条记录的操作人（actorId）和时间（at）。',
    `  签名公钥指纹（SHA-256）：${f.keyFingerprint}`,
    '  请将 verify.mjs 显示的指纹与法院公布的指纹核对；或取得法院公钥后运行 node verify.mjs --key 法院公钥.pem。',
    '',
    '三、人工校验方法（不借助 verify.mjs）',
    '  1. audit/chain.jsonl 每行是一条记录。取其中 chain、seq、at、actorId、type、fromState、toState、payload、comment、prevHash',
    '     十个字段（每行恰有这十个字段和 hash，不多不少），按键名排序、不留空白写成 JSON（规范 JSON），其 SHA-256（十六进制）应等于该行的 hash；',
    '     第 1 条的 prevHash 为 64 个 0，之后每条的 prevHash 等于上一条的 hash，seq 从 1 起连续。',
    '  2. 检查点：对 chains 中每一项写出规范 JSON {"chain":…,"hash":…,"seq":…} 并各加一个换行，全部连起来的 SHA-256 应等于 headsSha256；',
    '     用 public-key.pem 对 {"at":…,"count":…,"format":…,"headsSha256":…} 的规范 JSON 验证 signature（Ed25519，Base64）；',
    `     本链（${f.chain}）在 chains 中的 seq 与 hash 应等于 chain.jsonl 最后一行（本档案为第 ${f.events} 条，hash ${f.headHash}）。`,
    '  3. 对 evidence/ 下每个文件计算 SHA-256（如 sha256sum 文件名，或 Windows 下 certutil -hashfile 文件名 SHA256），',
    '     应与 manifest.csv 中该文件的 SHA-256 一致；审计记录 payload 中 attachments 列出的每个附件（编号、文件名、sha256）也应与清单一致，',
    '     清单中每个文件的审计序号应恰是 payload 的 attachmentIds 或 attachments 中列有该附件编号的那些记录。',
    '',
    'Gongjian dossier. Inside: summary.docx (the year, ready to print), evidence/ (every attachment under its original',
    'name, evidence/manifest.csv with sha256 and size), audit/chain.jsonl (the audit chain exactly as the server serves',
    'it), audit/checkpoint.json (the chain head signed with Ed25519) and audit/public-key.pem. To check it: node verify.mjs',
    '(Node.js 20+, no packages); it prints OK or FAILED and the first failure, naming the file or the seq. By hand: each',
    "event's hash is sha256 of the canonical JSON (keys sorted, no whitespace) of its ten hashed fields (a line holds",
    'exactly those and its hash), prevHash links it to the one before; the checkpoint signs canonical JSON of {at, count,',
    'format, headsSha256}, headsSha256 being sha256 of each head\u2019s canonical JSON plus a line feed; each evidence file\u2019s',
    'sha256 is in the manifest and, where the chain names the file (payload.attachments), in the chain, under the file name',
    'the chain gives it; the audit seqs the manifest gives for a file are exactly the events naming it. The manifest\u2019s',
    '上传人 and 上传时间 (uploaded by, at) come',
    'from the server\u2019s attachment records: an upload is not an audit event, so nothing in the chain vouches for them and',
    'verify.mjs does not check them.',
  ].join('\r\n')}\r\n`;
}

/** README.txt of the year archive. */
export function archiveReadme(year: number, count: number, generatedAt: string, timeZone: string): string {
  return `${[
    `${year} 年度结对共建项目归档`,
    `生成时间：${localTime(generatedAt, timeZone)}`,
    '',
    `本归档收录 ${year} 年度全部 ${count} 个结对共建项目的档案，每个项目一个文件夹（以项目编号命名），内容和校验方法见各文件夹中的 README.txt。`,
    'index.csv 列出各项目的编号、名称、状态、总分和排名。',
    '',
    '校验全部档案：在本文件夹中运行 node verify.mjs（Node.js 20 及以上）；逐个检查每个项目文件夹，全部通过显示 OK，',
    '否则显示 FAILED 及第一处问题（文件夹、文件名或序号）。',
    '',
    `The ${year} archive: one folder per pairing (named by its code), each a dossier with its own README.txt.`,
    'Run node verify.mjs here to check every one of them.',
  ].join('\r\n')}\r\n`;
}
