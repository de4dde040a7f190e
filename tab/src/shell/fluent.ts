/**
 * Fluent 2 for the tab and the upload page: the web components they use (each registered once, by
 * importing its define module) and the design tokens of the host's theme. Teams' own themes
 * (light, dark, high contrast) come from @fluentui/tokens, so the tab reads as part of Teams and
 * Outlook; our stylesheets use the same tokens (`var(--colorNeutralBackground1)` and so on).
 */
import '@fluentui/web-components/button/define.js';
import '@fluentui/web-components/checkbox/define.js';
import '@fluentui/web-components/dialog/define.js';
import '@fluentui/web-components/dialog-body/define.js';
import '@fluentui/web-components/divider/define.js';
import '@fluentui/web-components/field/define.js';
import '@fluentui/web-components/progress-bar/define.js';
import '@fluentui/web-components/radio/define.js';
import '@fluentui/web-components/radio-group/define.js';
import '@fluentui/web-components/spinner/define.js';
import '@fluentui/web-components/tab/define.js';
import '@fluentui/web-components/tablist/define.js';
import '@fluentui/web-components/text-input/define.js';
import '@fluentui/web-components/textarea/define.js';
import { setTheme } from '@fluentui/web-components';
import { teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme } from '@fluentui/tokens';

/** The themes a host names (teams-js: default, dark, contrast). */
export type ThemeName = 'default' | 'dark' | 'contrast';

const THEMES = { default: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme } as const;

/** Applies the theme's tokens to the document and names it on <html> for our own stylesheet's few theme rules. */
export function applyFluentTheme(theme: ThemeName): void {
  setTheme(THEMES[theme]);
  document.documentElement.dataset.theme = theme;
}

/** The design tokens of the theme applied now (what a card preview takes its colours and type from). */
export function currentThemeTokens(): (typeof THEMES)[ThemeName] {
  const theme = document.documentElement.dataset.theme as ThemeName | undefined;
  return THEMES[theme && theme in THEMES ? theme : 'default'];
}

/** The Fluent elements the tab creates, typed for `el()` (the package declares no tag map of its own). */
type FluentControl = HTMLElement & { disabled: boolean; value: string; name: string; checked: boolean };
declare global {
  interface HTMLElementTagNameMap {
    'fluent-button': HTMLElement & { disabled: boolean; type: string };
    'fluent-checkbox': FluentControl;
    'fluent-dialog': HTMLElement & { show(): void; hide(): void };
    'fluent-dialog-body': HTMLElement;
    'fluent-divider': HTMLElement;
    'fluent-field': HTMLElement;
    'fluent-progress-bar': HTMLElement & { value: number; max: number };
    'fluent-radio': FluentControl;
    'fluent-radio-group': FluentControl;
    'fluent-spinner': HTMLElement;
    'fluent-tab': HTMLElement;
    'fluent-tablist': HTMLElement & { activeid: string };
    'fluent-text-input': FluentControl & { required: boolean; maxlength: number };
    'fluent-textarea': FluentControl & { required: boolean; maxLength: number };
  }
}
