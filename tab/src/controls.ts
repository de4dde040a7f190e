/**
 * Fluent 2 form controls for the tab's pages, built the way Fluent documents them: a `<fluent-field>`
 * holding a `<label slot="label">` and the control in `slot="input"` (the field wires the label to the
 * control, which takes its role and state through ElementInternals). Values are read from the returned
 * elements, not from FormData.
 */
import { el, uid } from './dom';

type Radio = HTMLElementTagNameMap['fluent-radio'];
type RadioGroup = HTMLElementTagNameMap['fluent-radio-group'];
type Checkbox = HTMLElementTagNameMap['fluent-checkbox'];

/** A choice of a radio group. */
export interface Choice {
  value: string;
  label: string;
  /** Shown under the choice's label. */
  hint?: string;
}

/** A labelled radio group; `value` is the chosen value. */
export interface RadioGroupControl {
  element: HTMLElement;
  group: RadioGroup;
  radios: Radio[];
  readonly value: string;
  onChange(listener: () => void): void;
}

/** A labelled group of radios, `value` chosen at first. */
export function radioGroup(name: string, label: string, choices: Choice[], value: string): RadioGroupControl {
  const radios: Radio[] = [];
  const group = el(
    'fluent-radio-group',
    { slot: 'input', name, orientation: 'vertical' },
    ...choices.map((c) => {
      const radio = el('fluent-radio', { slot: 'input', value: c.value, checked: c.value === value });
      radios.push(radio);
      return el(
        'fluent-field',
        { 'label-position': 'after' },
        el('label', { slot: 'label' }, c.label),
        radio,
        c.hint ? el('span', { slot: 'message', class: 'hint' }, c.hint) : null,
      );
    }),
  );
  const element = el(
    'fluent-field',
    { 'label-position': 'above', class: 'hs-group' },
    el('label', { slot: 'label' }, label),
    group,
  );
  return {
    element,
    group,
    radios,
    get value() {
      return radios.find((r) => r.checked)?.value ?? value;
    },
    onChange(listener) {
      group.addEventListener('change', listener);
    },
  };
}

/** A checkbox with its label after it. */
export function checkbox(label: string, value = 'on'): { element: HTMLElement; box: Checkbox } {
  const box = el('fluent-checkbox', { slot: 'input', value });
  return {
    element: el('fluent-field', { 'label-position': 'after' }, el('label', { slot: 'label' }, label), box),
    box,
  };
}

/** A labelled single-line text input. */
export function textInput(
  label: string,
  attrs: Record<string, string | number | boolean | undefined> = {},
): HTMLElementTagNameMap['fluent-text-input'] {
  return el('fluent-text-input', { autocomplete: 'off', ...attrs }, label);
}

/** A labelled multi-line text area. */
export function textArea(
  label: string,
  attrs: Record<string, string | number | boolean | undefined> = {},
): HTMLElementTagNameMap['fluent-textarea'] {
  return el('fluent-textarea', { resize: 'vertical', ...attrs }, el('label', { slot: 'label' }, label));
}

/** A native input styled as a Fluent one, for kinds Fluent has no component for (number, date and time). */
export function nativeInput(
  label: string,
  attrs: Record<string, string | number | boolean | undefined>,
): { element: HTMLElement; input: HTMLInputElement } {
  const id = uid('input');
  const input = el('input', { id, class: 'hs-input', ...attrs });
  return { element: el('div', { class: 'hs-native-field' }, el('label', { for: id }, label), input), input };
}

/** A native select with its label: the choices as (value, label). */
export function nativeSelect(
  label: string,
  name: string,
  choices: Array<{ value: string; label: string }>,
): { element: HTMLElement; select: HTMLSelectElement } {
  const id = uid('select');
  const select = el(
    'select',
    { id, name, class: 'hs-input' },
    ...choices.map((c) => el('option', { value: c.value }, c.label)),
  );
  return { element: el('div', { class: 'hs-native-field' }, el('label', { for: id }, label), select), select };
}

/** An error line under a control (announced politely when it changes). */
export function errorLine(): HTMLParagraphElement {
  return el('p', { id: uid('error'), class: 'error hs-field-error', 'aria-live': 'polite' });
}

/**
 * Asks a question in a Fluent dialog: `confirm` and `cancel` buttons, resolves true when confirmed.
 * `body` is shown under the title. The dialog is removed when answered.
 */
export function confirmDialog(options: {
  title: string;
  body: Node[];
  confirm: string;
  cancel: string;
  /** The confirm button is the primary one unless this is false. */
  primary?: boolean;
}): Promise<boolean> {
  return new Promise((resolve) => {
    const yes = el('fluent-button', { slot: 'action', appearance: 'primary' }, options.confirm);
    const no = el('fluent-button', { slot: 'action' }, options.cancel);
    const dialog = el(
      'fluent-dialog',
      { type: 'modal', 'aria-label': options.title, class: 'hs-dialog' },
      el('fluent-dialog-body', {}, el('h2', { slot: 'title' }, options.title), ...options.body, yes, no),
    );
    let answered = false;
    const answer = (value: boolean) => {
      if (answered) return;
      answered = true;
      dialog.hide();
      dialog.remove();
      resolve(value);
    };
    yes.addEventListener('click', () => answer(true));
    no.addEventListener('click', () => answer(false));
    // Escape (the dialog's cancel) is a no.
    dialog.addEventListener('toggle', (event) => {
      if ((event as unknown as CustomEvent<{ newState?: string }>).detail?.newState === 'closed') answer(false);
    });
    document.body.append(dialog);
    dialog.show();
    no.focus();
  });
}
