import { describe, expect, it } from 'vitest';
import { parseDocuments, PARSE_LIMITS } from '../../lib/manifest/parse.js';

describe('parsing is safe', () => {
  it('stops alias expansion before a billion laughs', () => {
    // GIVEN nine levels of aliases, each nine times the last
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      levels.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    // WHEN parsed / THEN it is refused, not expanded
    const result = parseDocuments(levels.join('\n'));
    expect(result.documents).toEqual([]);
    expect(result.diagnostics[0]?.message).toMatch(/invalid YAML: .*alias/i);
  });

  it('keeps a few aliases, as real manifests use them', () => {
    const result = parseDocuments('x: &cmd "echo hi"\ny: [sh, -c, *cmd]\n');
    expect(result.documents[0]?.value).toEqual({ x: 'echo hi', y: ['sh', '-c', 'echo hi'] });
  });

  it('refuses deep nesting', () => {
    const deep = `${'['.repeat(PARSE_LIMITS.maxDepth + 5)}${']'.repeat(PARSE_LIMITS.maxDepth + 5)}`;
    expect(parseDocuments(deep).diagnostics[0]?.message).toMatch(/nesting deeper than 64 levels/);
  });

  it('refuses custom and language tags instead of stringifying them', () => {
    const result = parseDocuments('a: !!python/object:os.system echo\n');
    expect(result.diagnostics[0]?.message).toMatch(/invalid YAML: Unresolved tag/);
  });

  it('refuses an oversized input', () => {
    const result = parseDocuments(`a: "${'x'.repeat(PARSE_LIMITS.maxBytes)}"`);
    expect(result.diagnostics[0]?.message).toMatch(/larger than/);
  });

  it('refuses duplicate keys and says where', () => {
    const result = parseDocuments('a: 1\na: 2\n');
    expect(result.diagnostics[0]?.message).toMatch(/invalid YAML: Map keys must be unique at line 2/);
  });

  it('finds duplicate keys at any depth, in document order, as the YAML library reports them', () => {
    // GIVEN duplicates in a map inside a list, in a flow map, in a map used as a key, and at the top
    const text = [
      'spec:',
      '  containers:',
      '    - name: a',
      '      name: b',
      '    - { image: x, image: y }',
      '  ? { k: 1, k: 2 }',
      '  : v',
      'spec: again',
      '',
    ].join('\n');
    // WHEN parsed
    const messages = parseDocuments(text).diagnostics.map((d) => d.message);
    // THEN each is reported where it is, the outer map's before what it holds
    expect(messages).toEqual([
      'invalid YAML: Map keys must be unique at line 8, column 1',
      'invalid YAML: Map keys must be unique at line 4, column 7',
      'invalid YAML: Map keys must be unique at line 5, column 19',
      'invalid YAML: Map keys must be unique at line 6, column 13',
    ]);
  });

  it('reports at most ten duplicate keys', () => {
    const text = Array.from({ length: 12 }, (_, i) => `m${i}: { a: 1, a: 2 }`).join('\n');
    expect(parseDocuments(text).diagnostics).toHaveLength(10);
  });

  it('reads multi-document streams and skips empty documents', () => {
    const result = parseDocuments('---\na: 1\n---\n---\nb: 2\n---\n');
    expect(result.documents.map((d) => d.value)).toEqual([{ a: 1 }, { b: 2 }]);
  });
});
