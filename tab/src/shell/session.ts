/** The local demo sign-in kept in sessionStorage, so a reload stays signed in (local mode only). */
import type { LocalSignInResult } from '../../../bot/src/api/tab-contract';

const KEY = 'headshot.localSession';

/** A stored local sign-in. */
export type LocalSession = LocalSignInResult;

/** The session of this page load: storage can be blocked (a third-party frame), the sign-in still holds until reload. */
let current: LocalSession | null = null;

/** The session, or null (none, unreadable, or storage blocked and no sign-in since load). */
export function loadSession(): LocalSession | null {
  if (current) return current;
  try {
    const raw = window.sessionStorage.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<LocalSession>;
    return typeof parsed.token === 'string' && typeof parsed.userId === 'string' ? (parsed as LocalSession) : null;
  } catch {
    return null;
  }
}

/** Keeps the session for this browser tab. */
export function saveSession(session: LocalSession): void {
  current = session;
  try {
    window.sessionStorage.setItem(KEY, JSON.stringify(session));
  } catch {
    // storage blocked (third-party frames, some embedded browsers): the session lasts until reload
  }
}

/** Forgets the session. */
export function clearSession(): void {
  current = null;
  try {
    window.sessionStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}
