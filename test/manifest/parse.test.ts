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

  it('reads multi-document streams and skips empty documents', () => {
    const result = parseDocuments('---\na: 1\n---\n---\nb: 2\n---\n');
    expect(result.documents.map((d) => d.value)).toEqual([{ a: 1 }, { b: 2 }]);
  });
});
