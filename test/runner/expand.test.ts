import { describe, expect, it } from 'vitest';
import { expand } from '../../lib/runner/expand.js';

const vars: Record<string, string> = { POD_NAME: 'web-1', EMPTY: '', DOLLAR: '$(POD_NAME)' };
const lookup = (name: string) => vars[name];

describe('$(VAR) expansion, as Kubernetes does it', () => {
  it.each([
    ['echo $(POD_NAME)', 'echo web-1'],
    ['$(POD_NAME)-$(POD_NAME)', 'web-1-web-1'],
    ['[$(EMPTY)]', '[]'],
    ['$(UNDEFINED) stays', '$(UNDEFINED) stays'],
    ['$$(POD_NAME) is escaped', '$(POD_NAME) is escaped'],
    ['a $$ b', 'a $ b'],
    ['$(date) and $( ) are not shell', '$(date) and $( ) are not shell'],
    ['unclosed $(POD_NAME', 'unclosed $(POD_NAME'],
    ['$HOME and ${HOME} are left to the shell', '$HOME and ${HOME} are left to the shell'],
    ['ends with $', 'ends with $'],
    ['$(DOLLAR) is not expanded twice', '$(POD_NAME) is not expanded twice'],
  ])('%j → %j', (input, output) => {
    expect(expand(input, lookup)).toBe(output);
  });
});
