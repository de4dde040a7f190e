/** The admin's chat commands, in en, fi, nl and pl: "coverage" and "broadcast" (whole message, any case). */

/** An admin command typed in the chat. */
export type AdminCommand = 'coverage' | 'broadcast';

const WORDS: Readonly<Record<AdminCommand, readonly string[]>> = {
  coverage: [
    'coverage',
    'photo coverage',
    'kattavuus',
    'kuvakattavuus',
    'dekking',
    'fotodekking',
    'pokrycie',
    'pokrycie zdjec',
  ],
  broadcast: [
    'broadcast',
    'send reminder',
    'remind',
    'tiedote',
    'muistutus',
    'laheta muistutus',
    'rondzenden',
    'herinnering',
    'herinnering sturen',
    'rozgloszenie',
    'przypomnienie',
    'wyslij przypomnienie',
  ],
};

/** The admin command a message is, or null. */
export function recogniseAdminCommand(text: string): AdminCommand | null {
  if (text.length > 60) return null;
  const normalised = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .toLowerCase()
    .replace(/<at>[^<]*<\/at>/g, ' ')
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  for (const [command, words] of Object.entries(WORDS) as Array<[AdminCommand, readonly string[]]>)
    if (words.includes(normalised)) return command;
  return null;
}
