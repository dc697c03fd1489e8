import { useState } from 'react';
import { Button, Descriptions, Typography } from 'antd';
import { describePayload, type NameKind, type NameLookup, type PayloadLine } from '../../../workflows/payload-labels';
import type { Id } from '../api/types';
import { useOrg } from '../hooks';
import { useLang } from '../i18n';

/** Names for ids in payloads: branches and partners from the organisation, users from what the page knows. */
export function usePayloadNames(userName?: (id: string | null) => string | undefined): NameLookup {
  const { org } = useOrg();
  return (kind: NameKind, id: Id) => {
    const same = (x: Id) => String(x) === String(id);
    if (kind === 'branch') return org?.branches.find((b) => same(b.id))?.name;
    if (kind === 'partner') return org?.partners.find((p) => same(p.id))?.name;
    if (kind === 'user') {
      const known = org?.users?.find((u) => same(u.id));
      const name = known ? known.displayName || known.username : userName?.(String(id));
      return name && !/^#/.test(name) ? name : undefined;
    }
    return undefined;
  };
}

function Lines({ lines }: { lines: PayloadLine[] }) {
  return (
    <Descriptions
      className="gj-payload"
      size="small"
      column={1}
      bordered
      styles={{ label: { width: 160, whiteSpace: 'nowrap' } }}
      items={lines.map((line, i) => ({
        key: `${line.field}-${i}`,
        label: line.label || '—',
        children: line.children ? (
          <Lines lines={line.children} />
        ) : line.rows ? (
          <div style={{ display: 'grid', gap: 6 }}>
            {line.rows.map((row, j) => (
              <Lines key={j} lines={row} />
            ))}
          </div>
        ) : (
          <span style={{ whiteSpace: 'pre-wrap' }}>{line.text}</span>
        ),
      }))}
    />
  );
}

/** Fields shown before 展开全部: enough for most events, short for a creation or a submission. */
const SHOWN_LINES = 6;

/**
 * An audit payload as labelled fields in the reader's language — names for ids, labels for codes —
 * with the raw JSON, exactly as hashed, one click away.
 */
export default function PayloadFields({ payload, names }: { payload: unknown; names: NameLookup }) {
  const { t, lang } = useLang();
  const [raw, setRaw] = useState(false);
  const [all, setAll] = useState(false);
  if (payload === null || payload === undefined) return null;
  if (typeof payload === 'object' && Object.keys(payload as object).length === 0) return null;
  // Empty fields and bookkeeping (ids, timestamps) are left out here; the raw JSON keeps everything.
  const lines = describePayload(payload, names, lang, { brief: true });
  const shown = all ? lines : lines.slice(0, SHOWN_LINES);
  return (
    <div data-testid="payload-fields" style={{ marginTop: 4 }}>
      {lines.length > 0 && <Lines lines={shown} />}
      {lines.length > SHOWN_LINES && (
        <Button type="link" size="small" style={{ paddingInline: 0, marginInlineEnd: 12 }} onClick={() => setAll((v) => !v)} aria-expanded={all}>
          {all ? t('收起', 'Show fewer') : t(`展开全部 ${lines.length} 项`, `Show all ${lines.length} fields`)}
        </Button>
      )}
      <Button type="link" size="small" style={{ paddingInline: 0 }} onClick={() => setRaw((v) => !v)} aria-expanded={raw}>
        {raw ? t('收起原始数据', 'Hide raw JSON') : t('查看原始数据（JSON）', 'Show raw JSON')}
      </Button>
      {raw && (
        <Typography.Paragraph>
          <pre data-testid="payload-raw" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12, background: '#fafafa', padding: 8, margin: 0 }}>
            {JSON.stringify(payload, null, 2)}
          </pre>
        </Typography.Paragraph>
      )}
    </div>
  );
}
