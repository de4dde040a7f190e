/** Matching file names to people (core/import/import-matching.ts). */
import { PeopleIndex, fileStem, fold, type MatchablePerson } from '../../../../bot/src/core/import/import-matching';

const person = (id: string, over: Partial<MatchablePerson>): MatchablePerson => ({
  id,
  userPrincipalName: `${id}@contoso.com`,
  displayName: id,
  userType: 'Member',
  accountEnabled: true,
  ...over,
});

const people = [
  person('lukasz', {
    userPrincipalName: 'lzolc@contoso.com',
    mail: 'lukasz.zolc@contoso.com',
    displayName: 'Łukasz Żółć',
    givenName: 'Łukasz',
    surname: 'Żółć',
    employeeId: '000123',
  }),
  person('anna1', { displayName: 'Anna de Vries (Sales)', givenName: 'Anna', surname: 'de Vries' }),
  person('anna2', {
    displayName: 'Anna de Vries',
    givenName: 'Anna',
    surname: 'de Vries',
    mail: 'anna.dv@contoso.com',
  }),
  person('soren', { displayName: 'Søren Kierkegaard', givenName: 'Søren', surname: 'Kierkegaard' }),
];
const index = new PeopleIndex(people);
const who = (file: string, mode: Parameters<PeopleIndex['match']>[1] = 'auto') => {
  const r = index.match(file, mode);
  return r.kind === 'matched'
    ? [r.by, r.person.id]
    : r.kind === 'ambiguous'
      ? ['ambiguous', r.candidates.map((c) => c.id)]
      : ['none'];
};

test('fold takes case and accents away, letters of their own included', () => {
  expect(fold('Łukasz ŻÓŁĆ')).toBe('lukasz zolc');
  expect(fold('Søren Ærø Straße')).toBe('soren aero strasse');
});

test('the stem is the name without folders and extension', () => {
  expect(fileStem('team/2026/Łukasz Żółć.JPG')).toBe('Łukasz Żółć');
  expect(fileStem('C:\\photos\\anna.dv@contoso.com.png')).toBe('anna.dv@contoso.com');
  expect(fileStem('.hidden')).toBe('.hidden');
});

test.each([
  ['lzolc@contoso.com.jpg', 'upn', 'lukasz'],
  ['LZOLC.jpg', 'upn', 'lukasz'],
  ['lukasz.zolc@contoso.com.jpg', 'mail', 'lukasz'],
  ['000123.jpg', 'employeeId', 'lukasz'],
  ['Lukasz Zolc.jpg', 'name', 'lukasz'],
  ['Żółć, Łukasz.png', 'name', 'lukasz'],
  ['lukasz.zolc.jpg', 'mail', 'lukasz'], // the mail's alias, before the name
  ['Lukasz.Zolc.jpg', 'mail', 'lukasz'],
  ['lukasz_zolc.jpeg', 'name', 'lukasz'],
  ['soren kierkegaard.jpg', 'name', 'soren'],
])('%s matches by %s', (file, by, id) => {
  expect(who(file)).toEqual([by, id]);
});

test('a name two people have is ambiguous, never guessed; their mail still tells them apart', () => {
  expect(who('Anna de Vries.jpg')).toEqual(['ambiguous', ['anna1', 'anna2']]);
  expect(who('de Vries, Anna.jpg')).toEqual(['ambiguous', ['anna1', 'anna2']]);
  expect(who('anna.dv@contoso.com.jpg')).toEqual(['mail', 'anna2']);
});

test('a mode matches only its own way', () => {
  expect(who('lzolc@contoso.com.jpg', 'name')).toEqual(['none']);
  expect(who('Lukasz Zolc.jpg', 'upn')).toEqual(['none']);
  expect(who('000123.jpg', 'employeeId')).toEqual(['employeeId', 'lukasz']);
  expect(who('nobody at all.jpg')).toEqual(['none']);
});

test('a mapping address finds the person by UPN or mail', () => {
  const r = index.byAddress('Lukasz.Zolc@contoso.com');
  expect(r).toMatchObject({ kind: 'matched', by: 'mapping', person: { id: 'lukasz' } });
  expect(index.byAddress('ghost@contoso.com')).toEqual({ kind: 'no_match' });
});
