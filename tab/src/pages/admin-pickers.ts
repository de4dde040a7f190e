/**
 * Picking groups by name: a search box (names starting with what is typed, from the directory through
 * /api/admin/groups), the matches as buttons, and the chosen groups as named chips that can be removed.
 * A pasted object id is looked up by id. Nobody types or reads a raw group id.
 */
import type { GroupRefJson } from '../../../bot/src/api/tab-contract';
import type { PageContext } from '../page-context';
import { textInput } from '../controls';
import { button, el, errorText, uid } from '../dom';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SEARCH_DELAY_MS = 250;

/** A group picker: its element, the search box (for focus and errors), and what is chosen. */
export interface GroupPicker {
  element: HTMLElement;
  input: HTMLElementTagNameMap['fluent-text-input'];
  /** The chosen group (single pickers), or null. */
  chosen(): GroupRefJson | null;
  /** Every chosen group, in the order chosen. */
  all(): GroupRefJson[];
  /** Shows these groups as chosen (their names looked up); ids that are no group are shown as such. */
  set(ids: readonly string[]): Promise<void>;
}

/** A picker for one group (`multiple`: for several). */
export function groupPicker(ctx: PageContext, label: string, multiple = false): GroupPicker {
  const { t, api, signal } = ctx;
  const chosen: GroupRefJson[] = [];
  const input = textInput(label, { type: 'text', spellcheck: false, placeholder: t('groupSearchPlaceholder') });
  const resultsId = uid('group-results');
  const results = el('ul', { class: 'hs-picker-results', id: resultsId, 'aria-label': t('groupMatches') });
  const status = el('p', { class: 'hint hs-picker-status', 'aria-live': 'polite' });
  const chips = el('ul', { class: 'hs-chips', 'aria-label': t('groupChosen') });
  let timer = 0;
  let asked = 0;

  const renderChips = () => {
    chips.replaceChildren(
      ...chosen.map((g) =>
        el(
          'li',
          { class: 'hs-chip' },
          el('span', {}, g.displayName),
          button(
            t('groupRemove'),
            () => {
              chosen.splice(chosen.indexOf(g), 1);
              renderChips();
              input.focus();
            },
            { 'aria-label': t('groupRemoveNamed', { name: g.displayName }), appearance: 'subtle', size: 'small' },
          ),
        ),
      ),
    );
    chips.hidden = chosen.length === 0;
  };

  const choose = (g: GroupRefJson) => {
    if (!chosen.some((c) => c.id === g.id)) {
      if (!multiple) chosen.length = 0;
      chosen.push(g);
    }
    renderChips();
    results.replaceChildren();
    status.textContent = t('groupPicked', { name: g.displayName });
    input.value = '';
  };

  const search = async (text: string) => {
    const mine = ++asked;
    results.replaceChildren();
    if (text === '') {
      status.textContent = '';
      return;
    }
    status.textContent = t('groupSearching');
    try {
      const found = GUID.test(text)
        ? [await api.get<GroupRefJson>(`/api/admin/groups/${encodeURIComponent(text)}`)]
        : await api.get<GroupRefJson[]>(`/api/admin/groups?search=${encodeURIComponent(text)}`);
      if (mine !== asked || signal.aborted) return;
      results.replaceChildren(
        ...found.map((g) =>
          el(
            'li',
            {},
            button(g.displayName, () => choose(g), { appearance: 'subtle', class: 'hs-pick' }),
          ),
        ),
      );
      status.textContent = found.length === 0 ? t('groupNone', { text }) : t('groupFound', { count: found.length });
    } catch (err) {
      if (mine === asked && !signal.aborted) status.textContent = errorText(err, t('unexpected'));
    }
  };

  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    const text = input.value.trim();
    timer = window.setTimeout(() => void search(text), SEARCH_DELAY_MS);
  });
  // Enter picks the only match instead of submitting the form.
  input.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    const only = results.querySelectorAll('fluent-button');
    if (only.length === 1) (only[0] as HTMLElement).click();
  });
  renderChips();

  return {
    element: el('div', { class: 'hs-picker' }, chips, input, status, results),
    input,
    chosen: () => chosen[0] ?? null,
    all: () => [...chosen],
    async set(ids) {
      chosen.length = 0;
      const named = await Promise.all(
        ids.map(async (id) => {
          try {
            return await api.get<GroupRefJson>(`/api/admin/groups/${encodeURIComponent(id)}`);
          } catch {
            return { id, displayName: t('groupMissing') };
          }
        }),
      );
      chosen.push(...named);
      renderChips();
    },
  };
}
