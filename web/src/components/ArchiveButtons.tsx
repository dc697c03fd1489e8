import { useState } from 'react';
import { App, Button, Tooltip } from 'antd';
import { FileZipOutlined } from '@ant-design/icons';
import { download } from '../api/client';
import type { Id } from '../api/types';
import { useAuth } from '../auth';
import { useNotifyError } from '../hooks';
import { useLang } from '../i18n';

/** Saves a ZIP the server streams, with a spinner while it comes (a year archive can take a while). */
function useZipDownload() {
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const { t } = useLang();
  const [busy, setBusy] = useState(false);
  const run = async (url: string, fallback: string) => {
    setBusy(true);
    try {
      await download(url, fallback);
      message.success(t('已下载，解压后运行 node verify.mjs 可离线校验', 'Downloaded; unzip it and run node verify.mjs to check it offline'));
    } catch (e) {
      notifyError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}

/** 归档下载: the pairing's dossier, for those who may file it (the server decides too). */
export function DossierButton({ pairing }: { pairing: { id: Id; code: string; leadBranchId: Id } }) {
  const { t } = useLang();
  const { user, hasRole } = useAuth();
  const { busy, run } = useZipDownload();
  const leadSecretary = hasRole('secretary') && user?.branchId !== null && String(user?.branchId) === String(pairing.leadBranchId);
  if (!hasRole('auditor', 'committee', 'leader', 'supervisor') && !leadSecretary) return null;
  return (
    <Tooltip title={t('项目档案：概况（Word）、活动资料、审计链与离线校验程序', 'The dossier: summary (Word), evidence, audit chain and an offline verifier')}>
      <Button icon={<FileZipOutlined />} loading={busy} onClick={() => run(`/api/pairings/${encodeURIComponent(String(pairing.id))}/dossier`, `dossier-${pairing.code}.zip`)}>
        {t('归档下载', 'Download dossier')}
      </Button>
    </Tooltip>
  );
}

/** 年度归档: every pairing of the year in one ZIP (auditors and the committee). */
export function ArchiveButton({ year }: { year: number }) {
  const { t } = useLang();
  const { hasRole } = useAuth();
  const { busy, run } = useZipDownload();
  if (!hasRole('auditor', 'committee')) return null;
  return (
    <Button icon={<FileZipOutlined />} loading={busy} onClick={() => run(`/api/reports/archive?year=${year}`, `archive-${year}.zip`)}>
      {t(`${year}年度归档`, `${year} archive`)}
    </Button>
  );
}
