/** CSV cells of the admin downloads. */
import { fc, test as prop } from '@fast-check/jest';
import { csvCell } from '../../../../bot/src/core/admin/csv';

test('CSV cells are quoted when needed and never run as formulas', () => {
  expect(csvCell('a,b')).toBe('"a,b"');
  expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  expect(csvCell(null)).toBe('');
  expect(csvCell('Megan Bowen')).toBe('Megan Bowen');
  expect(csvCell(42)).toBe('42');
});

test('a ";" (the list separator of Excel in fi, nl and pl) or a tab quotes the cell, and what follows cannot start a formula', () => {
  expect(csvCell('Lynne;=1+1;')).toBe(`"Lynne;'=1+1;"`);
  expect(csvCell('a\t@SUM(A1)')).toBe(`"a\t'@SUM(A1)"`);
  expect(csvCell('x,+cmd')).toBe(`"x,'+cmd"`);
  expect(csvCell('semi;colon')).toBe('"semi;colon"');
});

/** What Excel may make of a cell when it splits on `sep` and ignores the quotes (the worst case). */
const pieces = (cell: string): string[] => cell.replace(/^"|"$/g, '').split(/[,;\t\r\n]/);

prop.prop([fc.string({ unit: fc.constantFrom('=', '+', '-', '@', ',', ';', '\t', '\r', '\n', '"', 'a', ' ', '1') })])(
  'no piece of any cell, however it is split, starts a formula',
  (text) => {
    for (const piece of pieces(csvCell(text))) expect(piece).not.toMatch(/^[=+\-@]/);
  },
);
