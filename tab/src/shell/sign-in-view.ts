/** The local demo sign-in screen: one button per demo person (local mode, outside a host). */
import type { DemoPerson } from '../../../bot/src/api/tab-contract';
import { button, el, present } from '../dom';

/** What the sign-in screen shows and does. */
export interface SignInView {
  t(key: string, params?: Record<string, string | number>): string;
  people: DemoPerson[];
  /** Shown above the list (e.g. "your sign-in has ended"). */
  notice?: string;
  choose(person: DemoPerson): Promise<void>;
}

/** Draws the sign-in screen into `root`. */
export function renderSignIn(root: HTMLElement, view: SignInView): void {
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const list = el('ul', { class: 'people' });
  for (const person of view.people) {
    const roles = [person.isManager ? view.t('manager') : '', person.isAdmin ? view.t('admin') : '']
      .filter(Boolean)
      .join(', ');
    const details = [person.jobTitle, roles].filter(Boolean).join(' · ');
    const b = button(
      person.displayName,
      async () => {
        b.disabled = true;
        error.hidden = true;
        try {
          await view.choose(person);
        } catch {
          error.textContent = view.t('signInFailed');
          error.hidden = false;
          b.disabled = false;
        }
      },
      { class: 'person', 'aria-describedby': `person-${person.id}` },
    );
    list.append(
      el(
        'li',
        {},
        b,
        el('span', { class: 'person-details', id: `person-${person.id}` }, details || subtitle(person, view.t)),
      ),
    );
  }
  root.replaceChildren(
    ...present(
      el('h1', {}, view.t('signInTitle')),
      view.notice ? el('p', { class: 'notice', role: 'alert' }, view.notice) : null,
      el('p', {}, view.t('signInIntro')),
      list,
      error,
    ),
  );
}

/** What to show under a name without a job title: a guest is said to be one (their #EXT# UPN means nothing to anyone). */
function subtitle(person: DemoPerson, t: SignInView['t']): string {
  return person.userPrincipalName.includes('#EXT#') ? t('guest') : person.userPrincipalName;
}
