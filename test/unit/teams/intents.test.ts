import { fc, test as fcTest } from '@fast-check/jest';
import type { Locale } from '../../../bot/src/core/locale';
import { MAX_COMMAND_LENGTH, normaliseText, recogniseIntent, type Intent } from '../../../bot/src/teams/intents';

type Case = readonly [phrase: string, intent: Intent];

const EN: Case[] = [
  ['update my photo', 'update_photo'],
  ['Update my photo', 'update_photo'],
  ['change my picture', 'update_photo'],
  ['new profile pic', 'update_photo'],
  ['set my profile photo', 'update_photo'],
  ['upload a photo', 'update_photo'],
  ['I want to change my profile picture please', 'update_photo'],
  ['can you help me update my photo?', 'update_photo'],
  ['How do I upload a new headshot', 'update_photo'],
  ['replace my avatar', 'update_photo'],
  ['my photo', 'update_photo'],
  ['help', 'help'],
  ['Help!', 'help'],
  ['hi', 'greeting'],
  ['Hello!', 'greeting'],
  ['good morning', 'greeting'],
  ['hey there', 'greeting'],
  ['what can you do', 'help'],
  ['What can you do?', 'help'],
  ['how does this work', 'help'],
  ['photo status', 'status'],
  ['status', 'status'],
  ['why is my photo not showing', 'status'],
  ["Why isn't my new photo showing in Teams?", 'status'],
  ['is my photo updated yet', 'status'],
  ['has my picture synced', 'status'],
  ['my photo is still the old one', 'status'],
  ['where does my photo show', 'status'],
  ['check my photo', 'status'],
  ['status of my profile photo', 'status'],
  ['cancel', 'cancel'],
  ['Cancel.', 'cancel'],
  ['cancel my photo update', 'cancel'],
  ['never mind', 'cancel'],
  ['stop', 'cancel'],
];

const FI: Case[] = [
  ['hei', 'greeting'],
  ['Moi!', 'greeting'],
  ['hyvää huomenta', 'greeting'],
  ['päivitä kuvani', 'update_photo'],
  ['Päivitä kuvani!', 'update_photo'],
  ['paivita kuvani', 'update_photo'],
  ['vaihda profiilikuva', 'update_photo'],
  ['uusi kuva', 'update_photo'],
  ['haluan vaihtaa profiilikuvan', 'update_photo'],
  ['vaihda kuvaa', 'update_photo'],
  ['lataa uusi kuva', 'update_photo'],
  ['päivitä kuva', 'update_photo'],
  ['voisitko päivittää profiilikuvani', 'update_photo'],
  ['muuta kuvan', 'update_photo'],
  ['apua', 'help'],
  ['ohje', 'help'],
  ['ohjeet', 'help'],
  ['mitä osaat?', 'help'],
  ['kuvan tila', 'status'],
  ['tila', 'status'],
  ['miksi kuvani ei näy', 'status'],
  ['näkyykö kuvani jo?', 'status'],
  ['onko profiilikuvani päivittynyt', 'status'],
  ['kuvani ei näy Teamsissa', 'status'],
  ['peruuta', 'cancel'],
  ['peruuta kuvan vaihto', 'cancel'],
  ['keskeytä', 'cancel'],
];

const NL: Case[] = [
  ['hallo', 'greeting'],
  ['Goedemorgen', 'greeting'],
  ['mijn foto bijwerken', 'update_photo'],
  ['wijzig mijn profielfoto', 'update_photo'],
  ['nieuwe foto', 'update_photo'],
  ['Ik wil mijn foto veranderen', 'update_photo'],
  ['werk mijn profielfoto bij', 'update_photo'],
  ['upload een nieuwe foto', 'update_photo'],
  ['profielfoto vervangen', 'update_photo'],
  ['help', 'help'],
  ['hulp', 'help'],
  ['wat kun je?', 'help'],
  ['hoe werkt dit', 'help'],
  ['fotostatus', 'status'],
  ['Fotostatus?', 'status'],
  ['waarom zie ik mijn nieuwe foto niet', 'status'],
  ['is mijn foto al bijgewerkt', 'status'],
  ['mijn foto is nog niet zichtbaar', 'status'],
  ['status van mijn foto', 'status'],
  ['annuleren', 'cancel'],
  ['annuleer', 'cancel'],
  ['laat maar', 'cancel'],
];

const PL: Case[] = [
  ['dzień dobry', 'greeting'],
  ['Cześć!', 'greeting'],
  ['zmień moje zdjęcie', 'update_photo'],
  ['zmien moje zdjecie', 'update_photo'],
  ['zaktualizuj zdjęcie profilowe', 'update_photo'],
  ['nowe zdjęcie', 'update_photo'],
  ['chcę zmienić zdjęcie', 'update_photo'],
  ['zmiana zdjęcia', 'update_photo'],
  ['wgraj nową fotkę', 'update_photo'],
  ['ustaw nowe zdjęcie profilowe', 'update_photo'],
  ['aktualizacja zdjęcia', 'update_photo'],
  ['podmień zdjęcie na nowe', 'update_photo'],
  ['ZMIEŃ ZDJĘCIE', 'update_photo'],
  ['pomoc', 'help'],
  ['Pomocy!', 'help'],
  ['co potrafisz?', 'help'],
  ['pomóż mi', 'help'],
  ['status zdjęcia', 'status'],
  ['stan zdjęcia', 'status'],
  ['dlaczego nie widać mojego zdjęcia', 'status'],
  ['czy moje zdjęcie jest już widoczne', 'status'],
  ['nadal nie widać nowego zdjęcia', 'status'],
  ['anuluj', 'cancel'],
  ['Anuluj!', 'cancel'],
  ['anuluj zmianę zdjęcia', 'cancel'],
  ['przerwij', 'cancel'],
];

const NEGATIVE = [
  "what's the weather",
  'photosynthesis',
  'thanks',
  'change my password',
  'update the report',
  'kuvaus',
  'fotograaf',
  'photography class',
  '',
  '   ',
  '???',
  '<at>Headshot</at>',
];

describe('recogniseIntent', () => {
  describe.each([
    ['en', EN],
    ['fi', FI],
    ['nl', NL],
    ['pl', PL],
  ] as const)('%s phrases', (locale, cases) => {
    test.each(cases)('%p -> %s', (phrase, intent) => {
      expect(recogniseIntent(phrase).intent).toBe(intent);
    });

    test('report the language they were recognised in (unless the word is shared with English)', () => {
      const shared = new Set(['help', 'stop', 'status']);
      for (const [phrase] of cases) {
        const result = recogniseIntent(phrase);
        if (!shared.has(normaliseText(phrase))) expect({ phrase, locale: result.locale }).toEqual({ phrase, locale });
      }
    });
  });

  test('a greeting followed by a request is the request', () => {
    expect(recogniseIntent('hi, update my photo').intent).toBe('update_photo');
    expect(recogniseIntent('hei, kuvan tila').intent).toBe('status');
    expect(recogniseIntent('hello there, how are you doing today').intent).toBe('unknown');
  });

  test.each(NEGATIVE)('%p is not an intent', (text) => {
    expect(recogniseIntent(text)).toEqual({ intent: 'unknown' });
  });

  test('strips the Teams mention of the bot, before or after the words', () => {
    expect(recogniseIntent('<at>Headshot</at> update my photo')).toEqual({ intent: 'update_photo', locale: 'en' });
    expect(recogniseIntent('<at>Headshot Bot</at>&nbsp;päivitä kuvani')).toEqual({
      intent: 'update_photo',
      locale: 'fi',
    });
    expect(recogniseIntent('<p>fotostatus <at>Headshot</at></p>')).toEqual({ intent: 'status', locale: 'nl' });
    // The mention's own words never count: a bot called "Help" does not make everything help.
    expect(recogniseIntent('<at>Help Desk</at> nice weather').intent).toBe('unknown');
  });

  test('is case- and diacritic-insensitive', () => {
    expect(recogniseIntent('PÄIVITÄ KUVANI')).toEqual(recogniseIntent('paivita kuvani'));
    expect(recogniseIntent('ZMIEŃ ZDJĘCIE').intent).toBe('update_photo');
    expect(recogniseIntent('zmien zdjecie').intent).toBe('update_photo');
    expect(recogniseIntent('Ｕｐｄａｔｅ ｍｙ ｐｈｏｔｏ').intent).toBe('update_photo');
  });

  test('a message too long to be a command is not one', () => {
    expect(recogniseIntent(`update my photo ${'<at>x '.repeat(400)}`.slice(0, MAX_COMMAND_LENGTH)).intent).toBe(
      'update_photo',
    );
    expect(recogniseIntent(`update my photo ${'x'.repeat(MAX_COMMAND_LENGTH)}`)).toEqual({ intent: 'unknown' });
  });

  test('never throws on non-strings coming from untyped activities', () => {
    expect(recogniseIntent(undefined as unknown as string)).toEqual({ intent: 'unknown' });
    expect(recogniseIntent(42 as unknown as string)).toEqual({ intent: 'unknown' });
  });
});

describe('normaliseText', () => {
  test('folds case, diacritics, apostrophes, punctuation and markup', () => {
    expect(normaliseText("  Why ISN'T my  Photo — showing?! ")).toBe('why isnt my photo showing');
    expect(normaliseText('Zmień zdjęcie, proszę: łódź')).toBe('zmien zdjecie prosze lodz');
    expect(normaliseText('<at>Headshot</at> Päivitä <b>kuvani</b>')).toBe('paivita kuvani');
  });
});

// ---------------------------------------------------------------- properties

const PHRASES = [...EN, ...FI, ...NL, ...PL].map(([p]) => p).concat(NEGATIVE);
const PUNCTUATION = ['.', ',', '!', '?', ';', ':', '…', '¡', '¿', '"', '(', ')', '“', '”', '„', '-', '*', "'"];
const WHITESPACE = [' ', '  ', '\t', '\n', '\u00a0', ' \r\n '];

/** Words made of letters only (so that added punctuation can never form markup or entities). */
const word = fc.stringMatching(/^[a-zA-ZäöåÄÖÅąćęłńóśźżĄĆĘŁŃÓŚŹŻéè]{1,10}$/);
const message = fc.oneof(
  fc.constantFrom(...PHRASES),
  fc.array(word, { minLength: 1, maxLength: 6 }).map((ws) => ws.join(' ')),
  fc.tuple(fc.constantFrom(...PHRASES), word).map(([p, w]) => `${p} ${w}`),
);

/** Re-spaces the words and adds punctuation at word edges, the way people type. */
const variant = fc.record({
  spaces: fc.array(fc.constantFrom(...WHITESPACE), { minLength: 12, maxLength: 12 }),
  marks: fc.array(fc.constantFrom('', '', ...PUNCTUATION), { minLength: 12, maxLength: 12 }),
  upper: fc.boolean(),
});

function restyle(text: string, v: { spaces: string[]; marks: string[]; upper: boolean }): string {
  const words = text.split(/\s+/).filter(Boolean);
  const out = words.map((w, i) => {
    // Never punctuate inside a mention tag: "<at" + "!" is no longer a tag.
    const plain = !/[<>&]/.test(w);
    return plain ? `${v.marks[i % 12]}${w}${v.marks[(i + 5) % 12]}` : w;
  });
  const joined = `${v.spaces[0]}${out.join(v.spaces[1])}${v.spaces[2]}`;
  return v.upper ? joined.toUpperCase() : joined;
}

describe('recogniseIntent properties', () => {
  fcTest.prop([fc.string({ unit: 'grapheme', maxLength: 200 })])('never throws on arbitrary text', (text) => {
    const result = recogniseIntent(text);
    expect(['update_photo', 'help', 'status', 'cancel', 'unknown']).toContain(result.intent);
  });

  fcTest.prop([fc.string({ unit: 'binary', maxLength: 200 })])(
    'never throws on arbitrary code points, lone surrogates included',
    (text) => {
      expect(() => recogniseIntent(text)).not.toThrow();
    },
  );

  fcTest.prop([fc.string({ unit: 'grapheme', maxLength: 100 })])('is invariant under upper-casing', (text) => {
    expect(recogniseIntent(text.toUpperCase())).toEqual(recogniseIntent(text));
  });

  fcTest.prop([message, variant])('is invariant under case, extra whitespace and added punctuation', (text, v) => {
    expect(recogniseIntent(restyle(text, v))).toEqual(recogniseIntent(text));
  });

  fcTest.prop([fc.constantFrom(...PHRASES), fc.constantFrom('Headshot', 'Headshot Bot', 'Help')])(
    'a leading or trailing mention of the bot changes nothing',
    (text, bot) => {
      expect(recogniseIntent(`<at>${bot}</at> ${text}`)).toEqual(recogniseIntent(text));
      expect(recogniseIntent(`${text} <at>${bot}</at>`)).toEqual(recogniseIntent(text));
    },
  );
});

// A locale literal the table must cover, so that adding a locale breaks this file until it has phrases.
const COVERED: Record<Locale, true> = { en: true, fi: true, nl: true, pl: true };
test('every locale has phrases here', () => {
  expect(Object.keys(COVERED).sort()).toEqual(['en', 'fi', 'nl', 'pl']);
});
