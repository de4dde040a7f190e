/**
 * An Adaptive Card drawn in the tab by the Adaptive Cards renderer (`adaptivecards`, the library Teams' own
 * renderer descends from), so a preview is the card people get, not a look-alike. Its host config comes from the
 * Teams theme's Fluent tokens (type, colours, spacing), as Teams draws cards in light, dark and high contrast.
 * Markdown is rendered by markdown-it with HTML off, as Teams renders the subset cards allow.
 */
import { AdaptiveCard, HostConfig } from 'adaptivecards';
import MarkdownIt from 'markdown-it';
import { currentThemeTokens } from './fluent';

const markdown = new MarkdownIt({ html: false, linkify: false, breaks: false });

AdaptiveCard.onProcessMarkdown = (text, result) => {
  result.outputHtml = markdown.render(text);
  result.didProcess = true;
};

/** A host config with the Teams theme's tokens. */
function teamsHostConfig(): HostConfig {
  const tokens = currentThemeTokens();
  const px = (v: string): number => Number.parseInt(v, 10);
  const colours = (normal: string, subtle: string) => ({ default: normal, subtle });
  return new HostConfig({
    fontFamily: tokens.fontFamilyBase,
    spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
    separator: { lineThickness: 1, lineColor: tokens.colorNeutralStroke2 },
    fontSizes: {
      small: px(tokens.fontSizeBase200),
      default: px(tokens.fontSizeBase300),
      medium: px(tokens.fontSizeBase400),
      large: px(tokens.fontSizeBase500),
      extraLarge: px(tokens.fontSizeBase600),
    },
    fontWeights: { lighter: 200, default: 400, bolder: 600 },
    containerStyles: {
      default: {
        backgroundColor: tokens.colorNeutralBackground1,
        foregroundColors: {
          default: colours(tokens.colorNeutralForeground1, tokens.colorNeutralForeground3),
          dark: colours(tokens.colorNeutralForeground1, tokens.colorNeutralForeground2),
          light: colours(tokens.colorNeutralForeground3, tokens.colorNeutralForeground4),
          accent: colours(tokens.colorBrandForeground1, tokens.colorBrandForeground2),
          good: colours(tokens.colorPaletteGreenForeground1, tokens.colorPaletteGreenForeground2),
          warning: colours(tokens.colorPaletteDarkOrangeForeground1, tokens.colorPaletteDarkOrangeForeground2),
          attention: colours(tokens.colorPaletteRedForeground1, tokens.colorPaletteRedForeground2),
        },
      },
      emphasis: { backgroundColor: tokens.colorNeutralBackground3 },
    },
    actions: {
      maxActions: 6,
      spacing: 'default',
      buttonSpacing: 8,
      actionsOrientation: 'horizontal',
      actionAlignment: 'left',
    },
    imageSizes: { small: 32, medium: 52, large: 100 },
    // Headings in the preview sit under the dialog's title (h2).
    textBlock: { headingLevel: 3 },
  });
}

/**
 * The card drawn as a picture of what recipients get: its words are read as they are, its buttons show but do
 * nothing and are left out of the tab order and the accessibility tree (they are part of the picture).
 */
export function renderCardPreview(json: Record<string, unknown>): HTMLElement {
  const card = new AdaptiveCard();
  card.hostConfig = teamsHostConfig();
  card.onExecuteAction = () => undefined;
  card.parse(json);
  const rendered = card.render() ?? document.createElement('div');
  const frame = document.createElement('div');
  frame.className = 'hs-card-preview';
  for (const button of rendered.querySelectorAll('button')) {
    button.tabIndex = -1;
    button.setAttribute('aria-hidden', 'true');
  }
  frame.append(rendered);
  return frame;
}
