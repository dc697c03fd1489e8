import { useEffect, useState } from 'react';
import { fetchBlob } from '../api/client';
import type { Id } from '../api/types';

/** An uploaded image shown from a blob: URL, fetched with the sign-in token (a plain <img src> would not carry it). */
export function AuthImage({ id, alt, onKind }: { id: Id; alt: string; onKind?: (isImage: boolean) => void }) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let alive = true;
    let made: string | null = null;
    fetchBlob(`/api/attachments/${encodeURIComponent(String(id))}`)
      .then((blob) => {
        if (!alive) return;
        onKind?.(blob.type.startsWith('image/'));
        made = URL.createObjectURL(blob);
        setUrl(made);
      })
      .catch(() => alive && setFailed(true));
    return () => {
      alive = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [id]);
  if (failed) return <div className="gj-muted">{alt}</div>;
  return url ? <img src={url} alt={alt} /> : <div style={{ aspectRatio: '4 / 3', background: '#f5f5f5' }} aria-label={alt} />;
}
