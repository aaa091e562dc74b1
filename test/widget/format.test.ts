import { formatDate, formatTime, maskIdentifier } from '../../widget/format.ts';
import { assertEqual } from './helpers.ts';

describe('format', () => {
  it('formats a day in the language given', () => {
    assertEqual(formatDate('2028-01-03T12:00:00.000Z', 'en-GB'), '3 Jan 2028', 'en-GB');
    assertEqual(formatDate('2028-01-03T12:00:00.000Z', 'en-US'), 'Jan 3, 2028', 'en-US');
  });

  it('falls back to the browser’s language for a bad tag, and gives undefined for a non-date', () => {
    assertEqual(typeof formatDate('2028-01-03T12:00:00.000Z', 'not a tag!'), 'string', 'bad tag');
    assertEqual(formatDate('yesterday', 'en-GB'), undefined, 'not a date');
    assertEqual(formatTime('soon', 'en-GB'), undefined, 'not a time');
  });

  it('masks identifiers like the server masks destinations', () => {
    assertEqual(maskIdentifier('jo@example.com'), 'j•••@example.com', 'email');
    assertEqual(maskIdentifier('+447700900123'), '•••• 0123', 'phone');
    assertEqual(maskIdentifier('+44 7700 900-123'), '•••• 0123', 'phone as typed');
  });
});
