/**
 * Which courts a supervisor is looking at (§11): their own (nothing chosen), one court below theirs, or all
 * of them. The choice goes with every request to the routes that read across courts, in one place (the API
 * client), so no page can forget it; everyone else never chooses and always reads their own court.
 */
const KEY = 'gongjian.court';

/** The choice of every court the supervisor reads: theirs and all below it. */
export const ALL_COURTS = 'all';

/** The routes that take `courtId=` (the pairing list, reports, audit trail, good practices). */
const CROSS_COURT = /^\/api\/(pairings(\?|$)|reports\/(bulletin|ranking|outcomes|dashboard|courts)(\?|$)|audit\/(events|verify|export|checkpoint)(\?|$)|practices(\?|$))/;

let selection: string | null = read();

function read(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function courtSelection(): string | null {
  return selection;
}

/** `null`: the user's own court; a court id; or `all`. */
export function setCourtSelection(value: string | null) {
  selection = value;
  try {
    if (value) sessionStorage.setItem(KEY, value);
    else sessionStorage.removeItem(KEY);
  } catch {
    /* storage unavailable: the choice lasts as long as the page */
  }
}

/** The path with the chosen courts, when it is a route that reads across courts and names none itself. */
export function withCourt(path: string, chosen: string | null = selection): string {
  if (!chosen || !CROSS_COURT.test(path) || /[?&]courtId=/.test(path)) return path;
  return `${path}${path.includes('?') ? '&' : '?'}courtId=${encodeURIComponent(chosen)}`;
}
