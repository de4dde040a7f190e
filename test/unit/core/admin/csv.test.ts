/** CSV cells of the admin downloads. */
import { csvCell } from '../../../../bot/src/core/admin/csv';

test('CSV cells are quoted when needed and never run as formulas', () => {
  expect(csvCell('a,b')).toBe('"a,b"');
  expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  expect(csvCell(null)).toBe('');
});
