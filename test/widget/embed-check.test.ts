import { checkEmbedding } from '../../widget/embed-check.ts';
import { assertEqual, assertIncludes } from './helpers.ts';

function recorder() {
  const lines: string[] = [];
  return { lines, log: { warn: (line: string) => void lines.push(line) } };
}

describe('checkEmbedding', () => {
  it('warns once per server, naming the page, the server, the cost and the fix', () => {
    const { lines, log } = recorder();
    const embedding = { crossSite: true, server: 'https://login.unit-once.test', page: 'https://shop.example' };
    assertEqual(checkEmbedding(embedding, log), true, 'first answer warns');
    assertEqual(checkEmbedding(embedding, log), false, 'second answer does not');
    assertEqual(lines.length, 1, 'warnings');
    assertIncludes(lines[0], 'https://shop.example', 'page');
    assertIncludes(lines[0], 'https://login.unit-once.test', 'server');
    assertIncludes(lines[0], 'Safari before 26.2 and some private modes', 'cost');
    assertIncludes(lines[0], 'reverse-proxy /auth/*', 'fix');
    assertIncludes(lines[0], '"Deploying on your own domain"', 'README section');
  });

  it('warns again for another server on the same page', () => {
    const { lines, log } = recorder();
    checkEmbedding({ crossSite: true, server: 'https://a.unit-two.test', page: 'https://shop.example' }, log);
    checkEmbedding({ crossSite: true, server: 'https://b.unit-two.test', page: 'https://shop.example' }, log);
    assertEqual(lines.length, 2, 'warnings');
  });

  it('trusts only the server’s flag: another origin without crossSite says nothing', () => {
    const { lines, log } = recorder();
    checkEmbedding({ crossSite: false, server: 'https://login.unit-quiet.test', page: 'https://www.unit-quiet.test' }, log);
    checkEmbedding({ crossSite: undefined, server: 'https://other.unit-quiet.test', page: 'https://shop.example' }, log);
    assertEqual(lines.length, 0, 'warnings');
  });
});
