/**
 * What may be uploaded and how it is named. Pure: no Nest, no file system.
 * The type is decided by the file's content (file-type), never by its name or the browser's claim.
 */

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
export const MAX_FILENAME_LENGTH = 255;

export interface AllowedType {
  mime: string;
  /** The extension the stored name ends with. */
  ext: string;
  /** Other extensions that name the same type (a .jpeg stays .jpeg). */
  aliases: string[];
  label: string;
}

const ALLOWED_TYPES: AllowedType[] = [
  { mime: 'application/pdf', ext: 'pdf', aliases: [], label: 'PDF' },
  { mime: 'image/jpeg', ext: 'jpg', aliases: ['jpeg', 'jpe'], label: 'JPG' },
  { mime: 'image/png', ext: 'png', aliases: [], label: 'PNG' },
  { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: 'docx', aliases: [], label: 'DOCX' },
  { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx', aliases: [], label: 'XLSX' },
];

export const ALLOWED_LABELS = ALLOWED_TYPES.map((t) => t.label);

/** The allowed type for a detected MIME type, or null when uploads of it are refused. */
export function allowedType(detectedMime: string | undefined): AllowedType | null {
  return ALLOWED_TYPES.find((t) => t.mime === detectedMime) ?? null;
}

/** Extensions that name a file type; anything else after the last dot is part of the name ("纪要2024.03"). */
const KNOWN_EXTENSIONS = new Set(
  'pdf png jpg jpeg jpe gif bmp tif tiff webp heic svg doc docx docm dot dotx xls xlsx xlsm csv ppt pptx wps et txt rtf odt ods zip rar 7z html htm exe'.split(
    ' ',
  ),
);

// Control characters, path separators and characters Windows refuses in names.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f/\\:*?"<>|]/g;

/**
 * A name safe to store and to send back in Content-Disposition: no directories (the last path segment
 * only), no control or reserved characters, no leading dots, at most 255 characters, and ending in the
 * extension of the type the content really is (a PNG sent as "scan.pdf" is kept as "scan.png").
 */
export function storedFilename(original: string | undefined, type: AllowedType): string {
  const lastSegment = (original ?? '').split(/[/\\]/).pop() ?? '';
  let name = lastSegment
    .normalize('NFC')
    .replace(UNSAFE, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  const dot = name.lastIndexOf('.');
  const currentExt = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  let stem = name;
  let ext = type.ext;
  if (currentExt === type.ext || type.aliases.includes(currentExt)) {
    stem = name.slice(0, dot);
    ext = name.slice(dot + 1);
  } else if (KNOWN_EXTENSIONS.has(currentExt)) {
    // A wrong extension (the content is another type) is replaced, not kept in front of the right one.
    stem = name.slice(0, dot);
  }
  if (!stem) stem = 'attachment';
  const suffix = `.${ext}`;
  const chars = Array.from(stem);
  if (chars.length + suffix.length > MAX_FILENAME_LENGTH) stem = chars.slice(0, MAX_FILENAME_LENGTH - suffix.length).join('');
  name = `${stem.trimEnd()}${suffix}`;
  return name;
}

/**
 * RFC 6266 / 8187: an ASCII `filename` for old clients (the given fallback, or the name with anything
 * non-ASCII replaced) and the exact UTF-8 name in `filename*`.
 */
export function contentDisposition(filename: string, fallback?: string, disposition: 'attachment' | 'inline' = 'attachment'): string {
  const ascii = (fallback ?? filename).replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
