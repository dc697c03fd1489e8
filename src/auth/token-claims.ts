/** What a sign-in token says: who (`sub`, the user id), which token version of theirs, and until when. */
export interface TokenClaims {
  sub: string;
  ver: number;
  iat: number;
  exp: number;
}

/** The claims of a verified token, or null when any is missing or malformed (the guard answers 401). */
export function readClaims(payload: unknown): { userId: number; version: number; expiresAtMs: number } | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const { sub, ver, exp } = payload as Record<string, unknown>;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return null;
  const subject = typeof sub === 'number' ? String(sub) : sub;
  if (typeof subject !== 'string' || !/^[1-9]\d{0,9}$/.test(subject) || Number(subject) > 2 ** 31 - 1) return null;
  if (typeof ver !== 'number' || !Number.isSafeInteger(ver) || ver < 0) return null;
  return { userId: Number(subject), version: ver, expiresAtMs: exp * 1000 };
}
