/** The card validator itself: it must accept what is valid and reject what is not. */
import fs from 'node:fs';
import path from 'node:path';
import {
  SCHEMA_PATH,
  expectValidCard,
  patchKnownSchemaTypos,
  validateAgainstSchema,
  validateCard,
  validateWithLibrary,
} from '../../../support/adaptive-card-validation';

const SCHEMAS = path.dirname(SCHEMA_PATH);
const SAMPLES = path.join(SCHEMAS, 'adaptivecards-samples-v1.5');
const REPORT = JSON.parse(
  fs.readFileSync(path.join(SCHEMAS, 'adaptivecards-samples-v1.5.validation.json'), 'utf8'),
) as {
  results: Record<string, { valid: boolean; causes?: string[] }>;
};

/** The causes in the samples report that are schema typos (toolchain.md), which the validator patches. */
const TYPO_CAUSES = new Set([
  'Container: unknown property "rtl"',
  'Table: unknown property "firstRowAsHeaders"',
  'Input.ChoiceSet/style: value "filtered" not in ["compact","expanded"]',
  'Image: unknown property "tooltip"',
  'Action.OpenUrl: unknown property "role"',
]);

const samples = Object.entries(REPORT.results).map(([file, result]) => ({
  file,
  card: JSON.parse(fs.readFileSync(path.join(SAMPLES, file), 'utf8')) as unknown,
  trulyValid: result.valid || (result.causes ?? []).every((c) => TYPO_CAUSES.has(c)),
}));

/**
 * Samples the schema accepts but the library reports, with why: the library is the
 * stricter, host-like check (1.6-only properties, host config limits, accessibility).
 */
const LIBRARY_FINDINGS: Record<string, RegExp> = {
  'Scenarios/InputsWithValidation.json': /"role" is supported in version 1\.6/,
  'Tests/ActionModeTestCard.json': /TooManyActions/,
  'Tests/Input.ChoiceSet.FilteredStyle.TestCard.json': /RequiredInputsShouldHaveErrorMessage/,
  'Tests/ToggleVisibility.ShowCard.ActionSet.json': /RequiredInputsShouldHaveErrorMessage/,
};

describe('official v1.5 samples', () => {
  test('the report covers all 69 samples: 66 truly valid once the typos are patched, 3 really invalid', () => {
    expect(samples).toHaveLength(69);
    expect(samples.filter((s) => s.trulyValid)).toHaveLength(66);
    expect(
      samples
        .filter((s) => !s.trulyValid)
        .map((s) => s.file)
        .sort(),
    ).toEqual(['Scenarios/FlightUpdateTable.json', 'Tests/Image.Svg.json', 'Tests/StandaloneTableRow.json']);
  });

  test.each(samples.filter((s) => s.trulyValid).map((s) => [s.file, s.card] as const))(
    'schema accepts %s',
    (_file, card) => {
      expect(validateAgainstSchema(card).errors).toEqual([]);
    },
  );

  test.each(samples.filter((s) => !s.trulyValid).map((s) => [s.file, s.card] as const))(
    'schema still rejects %s',
    (_file, card) => {
      expect(validateAgainstSchema(card).ok).toBe(false);
    },
  );

  test.each(samples.filter((s) => s.trulyValid).map((s) => [s.file, s.card] as const))(
    'library accepts %s, or says why',
    (file, card) => {
      const result = validateWithLibrary(card);
      if (LIBRARY_FINDINGS[file]) expect(result.errors.join('\n')).toMatch(LIBRARY_FINDINGS[file]);
      else expect(result.errors).toEqual([]);
    },
  );
});

describe('broken cards are rejected', () => {
  const base = (body: unknown[], extra: Record<string, unknown> = {}) => ({
    type: 'AdaptiveCard',
    version: '1.5',
    body,
    ...extra,
  });
  const good = base([{ type: 'TextBlock', text: 'Hello', wrap: true }], {
    actions: [{ type: 'Action.Submit', title: 'Go', data: { verb: 'photo.start' } }],
  });

  test('a minimal good card passes both checks', () => {
    expectValidCard(good);
    expect(validateCard(good)).toEqual({ ok: true, errors: [] });
  });

  test.each([
    ['a TextBlock without text', base([{ type: 'TextBlock', wrap: true }]), /TextBlock|text/],
    ['an unknown element type', base([{ type: 'Carousel3D', items: [] }]), /.+/],
    ['an Image with a non-URI url', base([{ type: 'Image', url: 'not a url' }]), /format/],
    [
      'an Image with spaces in a data URI',
      base([{ type: 'Image', url: 'data:image/svg+xml;utf8,<svg width="1"/>' }]),
      /format/,
    ],
    ['an unknown top-level property', base([], { msteams: { width: 'Full' } }), /additional/],
    ['a misspelt TextBlock property', base([{ type: 'TextBlock', text: 'x', warp: true }]), /additional/],
    ['an Action.OpenUrl without url', base([], { actions: [{ type: 'Action.OpenUrl', title: 'x' }] }), /url/],
    [
      'an Action.Submit with data that is a number',
      base([], { actions: [{ type: 'Action.Submit', title: 'x', data: 3 }] }),
      /.+/,
    ],
    ['not a card', { type: 'Message', text: 'hi' }, /.+/],
  ])('%s', (_name, card, expected) => {
    const result = validateCard(card);
    expect(result.ok).toBe(false);
    expect(validateAgainstSchema(card).ok).toBe(false);
    expect(result.errors.join('\n')).toMatch(expected);
  });

  test('the library half catches what the schema cannot: a 1.6 property in a 1.5 card', () => {
    const card = base([], { actions: [{ type: 'Action.Submit', title: 'x', role: 'Link' }] });
    expect(validateAgainstSchema(card).ok).toBe(true);
    expect(validateWithLibrary(card).errors.join('\n')).toMatch(/version 1\.6/);
  });

  test('errors name the element type that is wrong, not every branch of the schema', () => {
    const errors = validateAgainstSchema(base([{ type: 'TextBlock', wrap: true }])).errors;
    expect(errors).toEqual(['schema: /body/0 must have required property \'text\' {"missingProperty":"text"}']);
  });
});

describe('schema patches', () => {
  const raw = JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;

  test('fix only the listed typos and leave the file untouched', () => {
    const before = JSON.stringify(raw);
    const patched = patchKnownSchemaTypos(raw) as {
      definitions: Record<string, { properties: Record<string, unknown> }>;
    };
    expect(JSON.stringify(raw)).toBe(before);
    expect(patched.definitions.Container.properties).toHaveProperty('rtl');
    expect(patched.definitions.Container.properties).not.toHaveProperty(['rtl?']);
    expect(patched.definitions.Table.properties).toHaveProperty('firstRowAsHeaders');
    expect(patched.definitions.Image.properties).toHaveProperty('tooltip');
  });

  test('fail loudly when the schema no longer has the typo they fix', () => {
    const fixed = JSON.parse(JSON.stringify(raw)) as {
      definitions: Record<string, { properties: Record<string, unknown> }>;
    };
    delete fixed.definitions.Container.properties['rtl?'];
    expect(() => patchKnownSchemaTypos(fixed)).toThrow(/Container has no property "rtl\?"/);
  });
});

describe('URI formats (ajv-formats) in image urls', () => {
  const imageCard = (url: string) => ({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Image', url }] });

  test.each(['https://example.com/a?b=c#d', 'data:image/jpeg;base64,/9j/4AAQSkZJRg+/=', 'symbol:adaptive-card.svg'])(
    '%s is accepted',
    (value) => {
      expect(validateAgainstSchema(imageCard(value)).errors).toEqual([]);
    },
  );

  test.each(['not a url', 'http://exa mple.com', 'http://x/%zz'])('%p is refused', (value) => {
    expect(validateAgainstSchema(imageCard(value)).ok).toBe(false);
  });
});
