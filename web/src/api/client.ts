import type { Attachment } from './types';
import { withCourt } from '../court';

const TOKEN_KEY = 'gongjian.token';

export function getToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    /* storage unavailable: the session lasts as long as the page */
  }
}

export interface FieldError {
  field: string;
  messages: string[];
}

/** An error answer of the API: `{statusCode, code, message, details?, requestId?}`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly requestId?: string;

  constructor(status: number, code: string, message: string, details?: unknown, requestId?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.requestId = requestId;
  }

  /** Field messages of a 400 VALIDATION_FAILED, when the server sent them. */
  get fieldErrors(): FieldError[] {
    return toFieldErrors(this.details);
  }
}

export function toFieldErrors(details: unknown): FieldError[] {
  if (!Array.isArray(details)) return [];
  const out: FieldError[] = [];
  for (const d of details) {
    if (d && typeof d === 'object' && typeof (d as FieldError).field === 'string') {
      const msgs = (d as { messages?: unknown }).messages;
      out.push({
        field: (d as FieldError).field,
        messages: Array.isArray(msgs) ? msgs.map(String) : typeof msgs === 'string' ? [msgs] : [],
      });
    }
  }
  return out;
}

/**
 * What to do when the server says the sign-in is over (401): the app asks the person to sign in again in
 * place, so nothing they typed is lost, and answers true when the same user is back (the request is then
 * sent again with the new token).
 */
type UnauthorizedHandler = () => Promise<boolean>;
let onUnauthorized: UnauthorizedHandler = async () => {
  if (!location.pathname.startsWith('/login')) location.assign('/login');
  return false;
};

export function setUnauthorizedHandler(fn: UnauthorizedHandler) {
  onUnauthorized = fn;
}

let language = 'zh-CN';
/** The reader's language goes with every request, so the server answers in it (notifications …). */
export function setRequestLanguage(lang: 'zh' | 'en') {
  language = lang === 'en' ? 'en' : 'zh-CN';
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Do not treat a 401 as "session over" (the login form uses this). */
  noAuthRedirect?: boolean;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  data: T;
  headers: Headers;
  status: number;
}

async function send(path: string, opts: RequestOptions = {}, renewed = false): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': language, ...(opts.headers ?? {}) };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) {
    body = opts.body;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    // no-store: answers depend on who asks (availableEvents …) while ETags follow the
    // pairing's version only, so a cached body could be another user's.
    res = await fetch(withCourt(path), { method: opts.method ?? 'GET', headers, body, signal: opts.signal, cache: 'no-store' });
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK_ERROR', (e as Error)?.message ?? 'network error');
  }
  if (!res.ok) {
    let payload: Record<string, unknown> = {};
    try {
      payload = (await res.json()) as Record<string, unknown>;
    } catch {
      /* not JSON: keep the status only */
    }
    const code =
      typeof payload.code === 'string' ? payload.code : res.status === 401 ? 'UNAUTHENTICATED' : `HTTP_${res.status}`;
    const message = Array.isArray(payload.message)
      ? payload.message.join('; ')
      : typeof payload.message === 'string'
        ? payload.message
        : res.statusText;
    const err = new ApiError(
      res.status,
      code,
      message,
      payload.details,
      typeof payload.requestId === 'string' ? payload.requestId : (res.headers.get('x-request-id') ?? undefined),
    );
    if (res.status === 401 && !opts.noAuthRedirect && !renewed) {
      if (await onUnauthorized()) return send(path, opts, true);
    }
    throw err;
  }
  return res;
}

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
  const res = await send(path, opts);
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  return { data: data as T, headers: res.headers, status: res.status };
}

export async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  return (await request<T>(path, { signal })).data;
}

export async function post<T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
  return (await request<T>(path, { method: 'POST', body: body ?? {}, headers })).data;
}

export async function patch<T>(path: string, body: unknown): Promise<T> {
  return (await request<T>(path, { method: 'PATCH', body })).data;
}

/** Build `?a=1&b=2`, leaving out empty values. */
export function qs(params: Record<string, unknown>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

/** `"12"` or `W/"12"` → 12; null when there is no usable ETag. */
export function parseEtag(etag: string | null | undefined): number | null {
  if (!etag) return null;
  const m = /^(?:W\/)?"?([^"]*)"?$/.exec(etag.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isFinite(n) ? n : null;
}

function filenameFrom(res: Response, fallback: string): string {
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(cd);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      /* fall through */
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  return plain ? plain[1] : fallback;
}

export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file's bytes with the bearer token, e.g. for an image shown from a blob: URL. */
export async function fetchBlob(path: string): Promise<Blob> {
  return (await send(path, { headers: { Accept: '*/*' } })).blob();
}

/** Download with the bearer token (a plain link would not carry it). */
export async function download(path: string, fallbackName: string): Promise<string> {
  const res = await send(path, { headers: { Accept: '*/*' } });
  const blob = await res.blob();
  const name = filenameFrom(res, fallbackName);
  saveBlob(blob, name);
  return name;
}

export async function uploadFile(file: File | Blob, filename?: string): Promise<Attachment> {
  const fd = new FormData();
  if (filename) fd.append('file', file, filename);
  else fd.append('file', file);
  return (await request<Attachment>('/api/attachments', { method: 'POST', body: fd })).data;
}

export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // crypto.randomUUID needs a secure context; plain-http intranet hosts may lack it.
  const b = new Uint8Array(16);
  (typeof crypto !== 'undefined' ? crypto : null)?.getRandomValues?.(b);
  if (!b.some((x) => x)) for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
