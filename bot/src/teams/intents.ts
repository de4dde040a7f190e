/**
 * What a chat message asks for, in en, fi, nl or pl. Table-driven: each language has
 * word lists and rules; the text is normalised (case, diacritics, Teams mentions,
 * punctuation) before matching, so rules are written in plain lower-case ASCII.
 */
import type { Locale } from '../core/locale';

/** The things a user can ask the bot by typing. */
export type Intent =
  'update_photo' | 'help' | 'status' | 'cancel' | 'stop_reminders' | 'resume_reminders' | 'greeting' | 'unknown';

/** A recognised intent, with the language the phrase matched in (a hint only). */
export interface RecognisedIntent {
  intent: Intent;
  locale?: Locale;
}

type KnownIntent = Exclude<Intent, 'unknown'>;

/**
 * One rule: `all` lists word alternations that must each occur somewhere (any order),
 * or `whole` is an alternation the entire message must be. Alternations are regex
 * sources over normalised tokens; a space separates words in multi-word phrases.
 */
type Rule = { all: string[] } | { whole: string };

type LanguageTable = Readonly<Record<KnownIntent, readonly Rule[]>>;

// ---------------------------------------------------------------- vocabulary

const EN_PHOTO = 'photos?|pictures?|pics?|pfp|avatar|headshot|images?|selfie|photograph';
const EN_MY_PHOTO = `(?:my )?(?:new )?(?:profile )?(?:${EN_PHOTO})`;
const EN_CHANGE = 'update|updating|change|changing|set|upload|uploading|replace|new|send|add|edit|swap|submit|put';
const EN_VISIBLE =
  'not|isnt|hasnt|doesnt|didnt|wont|still|old|wrong|missing|show|shows|showing|shown|visible|appear|appearing|update|updated|change|changed|sync|synced|live|working|there';

// Finnish: the noun with its common case endings (kuva, kuvan, kuvaa, kuvani, profiilikuvaksi, ...).
const FI_PHOTO =
  '[a-z]*kuv(?:a|aa|an|ani|aani|asi|aasi|ansa|aksi|akseni|aksesi|ana|assa|asta|alla|at|ia|ien|ista)|avatar[a-z]*';
const FI_CHANGE =
  'paivit[a-z]*|vaihd[a-z]*|vaihta[a-z]*|vaihto[a-z]*|muuta|muutan|muuttaa|muutos|lataa|lataan|ladata|lataus|aseta|asetan|asettaa|uusi|uuden|uutta|uudeksi|uudella|lisaa|lisaan|laita|laitan|laheta|lahetan';
const FI_VISIBLE = 'nay|naky[a-z]*|paivity|paivittynyt|paivitetty|vaihdu|vaihtunut|vaihdettu|kaytossa';

const NL_PHOTO =
  '(?:profiel|pas|gezichts)?foto(?:s|tje|tjes)?|afbeelding(?:en)?|profielafbeelding|plaatje|avatar|selfie';
const NL_CHANGE =
  'bijwerken|bijgewerkt|werk|wijzig[a-z]*|verander[a-z]*|aanpassen|pas|vervang[a-z]*|upload[a-z]*|instellen|stel|nieuwe|nieuw|zet|zetten|updaten|update|toevoegen|voeg|sturen|stuur|versturen|plaatsen|plaats';
const NL_VISIBLE = 'zichtbaar|zien|getoond|weergegeven|bijgewerkt|verschijnt|veranderd|gewijzigd';

// Polish: zdjęcie/zdjęcia/zdjęciem/zdjęć, fotka/fotkę/fotki, obraz/obrazu, after diacritics are removed.
const PL_PHOTO = 'zdjec[a-z]*|fotk[a-z]*|fotografi[a-z]*|foto|obraz|obrazu|obrazek|obrazem|awatar[a-z]*|avatar';
const PL_CHANGE =
  'zmien[a-z]*|zmian[a-z]*|zaktualizuj[a-z]*|aktualizuj[a-z]*|aktualizac[a-z]*|zaktualizowac|ustaw[a-z]*|wgraj|wgrac|przeslij|przeslac|przesle|przekaz[a-z]*|dodaj|dodac|nowe|nowa|nowy|nowego|nowym|nowej|podmien[a-z]*|wymien[a-z]*|wstaw[a-z]*|wyslij|wyslac|wysle';
const PL_VISIBLE =
  'widac|widoczne|widoczny|wyswietla[a-z]*|pokazuje|zmienilo|zmienione|zaktualizowane|zaktualizowalo|zsynchronizowane';

// ---------------------------------------------------------------- the table

/** Rules per language and intent. Intents are tried in INTENT_ORDER, languages in LANGUAGE_ORDER. */
const INTENT_TABLE: Readonly<Record<Locale, LanguageTable>> = Object.freeze({
  en: {
    greeting: [
      { whole: 'hi|hello|hey|hiya|howdy|good (?:morning|afternoon|evening|day)|(?:hi|hello|hey) (?:there|headshot)' },
    ],
    stop_reminders: [
      { all: ['stop|no more|dont|do not|unsubscribe|mute', 'remind|reminding|reminders?'] },
      { whole: 'unsubscribe' },
    ],
    resume_reminders: [
      { all: ['remind me again'] },
      { all: ['resume|restart|start|turn on|enable|subscribe', 'reminders?|reminding'] },
    ],
    cancel: [
      { all: ['cancel|abort|nevermind|never mind|forget it|dont change|do not change'] },
      { whole: 'stop|no thanks|no thank you|not now' },
    ],
    status: [
      { whole: 'status|check|sync status' },
      { all: [`(?:${EN_PHOTO}) status|status of ${EN_MY_PHOTO}`] },
      { all: ['why', EN_PHOTO] },
      { all: [`(?:where|when) (?:is|does|do|will|can i see) ${EN_MY_PHOTO}`] },
      { all: [`(?:is|has|did|does|are|will) ${EN_MY_PHOTO}`, EN_VISIBLE] },
      { all: [`(?:${EN_PHOTO}) (?:is|isnt|hasnt|doesnt|didnt|wont|still|not)`, EN_VISIBLE] },
      { all: ['check|verify', EN_PHOTO] },
    ],
    update_photo: [{ all: [EN_CHANGE, EN_PHOTO] }, { whole: EN_MY_PHOTO }],
    help: [
      {
        all: [
          'help|helpme|what can you do|what do you do|how does (?:this|it) work|how do you work|what is this|who are you|commands|instructions|get started|getting started',
        ],
      },
      { whole: 'menu|options|start|info' },
    ],
  },
  fi: {
    greeting: [
      {
        whole:
          'hei|moi|moikka|moro|terve|huomenta|hyvaa (?:huomenta|paivaa|iltaa)|paivaa|iltaa|hei headshot|moi headshot',
      },
    ],
    stop_reminders: [{ all: ['lopeta|ala|ei|en halua|pois', 'muistut[a-z]*|muistuta'] }],
    resume_reminders: [
      { all: ['muistuta (?:taas|uudelleen|jalleen)'] },
      { all: ['jatka|kaynnista|salli|ota kayttoon', 'muistut[a-z]*'] },
    ],
    cancel: [
      { all: ['peruuta|peru|peruutus|peruuttaa|keskeyta|unohda|ala vaihda'] },
      { whole: 'lopeta|ei kiitos|ei sittenkaan' },
    ],
    status: [
      { whole: 'tila|tilanne' },
      { all: ['tila|tilan|tilanne|tilannetta|tilassa', FI_PHOTO] },
      { all: ['miksi', FI_PHOTO] },
      { all: ['nakyyko|paivittyiko|paivittyyko|vaihtuiko|vaihtuuko', FI_PHOTO] },
      { all: ['onko|missa|milloin|koska|ei|viela|yha', FI_PHOTO, FI_VISIBLE] },
      { all: ['tarkista|tarkistaa', FI_PHOTO] },
    ],
    update_photo: [{ all: [FI_CHANGE, FI_PHOTO] }, { whole: FI_PHOTO }],
    help: [
      {
        all: [
          'apua|apu|ohje[a-z]*|auta|autatko|neuvo[a-z]*|mita osaat|mita voit tehda|mita teet|miten (?:tama )?toimii|komennot',
        ],
      },
    ],
  },
  nl: {
    greeting: [
      { whole: 'hoi|hallo|hallo daar|goedemorgen|goedemiddag|goedenavond|goeiedag|dag|hoi headshot|hallo headshot' },
    ],
    stop_reminders: [{ all: ['stop|stoppen|geen|niet meer|uitschakelen|uit', 'herinner[a-z]*'] }],
    resume_reminders: [
      { all: ['herinner me (?:weer|opnieuw)'] },
      { all: ['weer|opnieuw|aan|inschakelen|hervat', 'herinneringen'] },
    ],
    cancel: [
      { all: ['annuleer[a-z]*|annuleren|afbreken|breek af|laat maar|toch niet|vergeet het|niet wijzigen'] },
      { whole: 'stop|stoppen|nee bedankt' },
    ],
    status: [
      { all: ['fotostatus'] },
      { all: ['status', NL_PHOTO] },
      { all: ['waarom', NL_PHOTO] },
      { all: ['waar|wanneer|is|niet|nog|al', NL_PHOTO, NL_VISIBLE] },
      { all: ['controleer|controleren|check', NL_PHOTO] },
    ],
    update_photo: [{ all: [NL_CHANGE, NL_PHOTO] }, { whole: `(?:mijn )?(?:${NL_PHOTO})` }],
    help: [
      {
        all: ['help|hulp|helpen|wat kun je|wat kan je|wat kan jij|wat doe je|hoe werkt (?:dit|het)|uitleg|instructies'],
      },
    ],
  },
  pl: {
    greeting: [{ whole: 'czesc|hej|witam|witaj|siema|dzien dobry|dobry wieczor|czesc headshot|hej headshot' }],
    stop_reminders: [{ all: ['przestan|nie|wylacz|bez|koniec|stop', 'przypomin[a-z]*|przypomnien[a-z]*'] }],
    resume_reminders: [{ all: ['znowu|ponownie|wlacz|wznow', 'przypomin[a-z]*|przypomnien[a-z]*'] }],
    cancel: [
      { all: ['anuluj[a-z]*|anulowac|przerwij|przerwac|rezygnuj[a-z]*|zrezygnuj[a-z]*|nie zmieniaj|jednak nie'] },
      { whole: 'stop|zatrzymaj|nie dziekuje' },
    ],
    status: [
      { all: ['status[a-z]*|stan', PL_PHOTO] },
      { all: ['dlaczego|czemu', PL_PHOTO] },
      { all: ['czy|nie|nadal|wciaz|jeszcze|gdzie|kiedy', PL_PHOTO, PL_VISIBLE] },
      { all: ['sprawdz|sprawdzic', PL_PHOTO] },
    ],
    update_photo: [{ all: [PL_CHANGE, PL_PHOTO] }, { whole: `(?:moje )?(?:${PL_PHOTO})(?: profilowe)?` }],
    help: [
      {
        all: [
          'pomoc[a-z]*|pomoz[a-z]*|pomocy|co potrafisz|co umiesz|co mozesz|jak to dziala|jak dzialasz|instrukcj[a-z]*|komendy',
        ],
      },
    ],
  },
});

/** Intents in priority order: "cancel my photo update" cancels; "help me change my photo" updates. */
const INTENT_ORDER: readonly KnownIntent[] = [
  'stop_reminders',
  'resume_reminders',
  'cancel',
  'status',
  'update_photo',
  'help',
  // Last: only a message that is nothing but a greeting.
  'greeting',
];

/** Languages in priority order, for words several share ("help", "status", "stop"). */
const LANGUAGE_ORDER: readonly Locale[] = ['en', 'fi', 'nl', 'pl'];

// ---------------------------------------------------------------- matching

type CompiledRule = readonly RegExp[];

/** A word alternation that must stand as whole tokens in the space-padded text. */
function anywhere(source: string): RegExp {
  return new RegExp(`(?<= )(?:${source})(?= )`);
}

function compile(rule: Rule): CompiledRule {
  return 'whole' in rule ? [new RegExp(`^ (?:${rule.whole}) $`)] : rule.all.map(anywhere);
}

const COMPILED: ReadonlyArray<{ intent: KnownIntent; locale: Locale; rules: readonly CompiledRule[] }> =
  INTENT_ORDER.flatMap((intent) =>
    LANGUAGE_ORDER.map((locale) => ({ intent, locale, rules: INTENT_TABLE[locale][intent].map(compile) })),
  );

/** Letters that Unicode decomposition leaves alone but our users type without. */
const FOLD: Readonly<Record<string, string>> = { ł: 'l', ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', đ: 'd', ı: 'i', ŀ: 'l' };

const ENTITIES: Readonly<Record<string, string>> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  '#39': "'",
};

/**
 * Lower-case ASCII-ish words separated by single spaces: folds case and diacritics,
 * drops Teams `<at>…</at>` mentions and other markup, removes apostrophes inside
 * words ("isn't" -> "isnt") and turns all other punctuation into spaces.
 */
export function normaliseText(text: string): string {
  return (
    text
      // Case first, so that upper- and lower-case input take exactly the same path below.
      .toUpperCase()
      .toLowerCase()
      .replace(/<at\b[^<>]*>[\s\S]*?<\/at>/g, ' ')
      .replace(/<\/?[a-z][^<>]*>/g, ' ')
      .replace(/&(nbsp|amp|lt|gt|quot|apos|#39);/g, (_, name: string) => ENTITIES[name] ?? ' ')
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .replace(/[łøæœßđıŀ]/g, (c) => FOLD[c] ?? c)
      .replace(/['’‘ʼ`´]/g, '')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
  );
}

/** Longer messages are not commands; the cap also bounds the work spent on markup. */
export const MAX_COMMAND_LENGTH = 2000;

/** What the message asks for; `unknown` when no rule in any language matches. Never throws. */
export function recogniseIntent(text: string): RecognisedIntent {
  if (typeof text !== 'string' || text.length > MAX_COMMAND_LENGTH) return { intent: 'unknown' };
  const normalised = normaliseText(text);
  if (!normalised) return { intent: 'unknown' };
  const padded = ` ${normalised} `;
  for (const { intent, locale, rules } of COMPILED) {
    if (rules.some((rule) => rule.every((re) => re.test(padded)))) return { intent, locale };
  }
  return { intent: 'unknown' };
}
