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

  it('reads 64 levels of nesting and refuses 65', () => {
    const nested = (levels: number) => `${'['.repeat(levels)}1${']'.repeat(levels)}`;
    expect(parseDocuments(nested(PARSE_LIMITS.maxDepth)).diagnostics).toEqual([]);
    expect(parseDocuments(`a: ${nested(PARSE_LIMITS.maxDepth - 1)}`).diagnostics).toEqual([]);
    expect(parseDocuments(nested(PARSE_LIMITS.maxDepth + 1)).diagnostics.map((d) => d.message)).toEqual([
      'nesting deeper than 64 levels',
    ]);
    expect(parseDocuments(`a: ${nested(PARSE_LIMITS.maxDepth)}`).diagnostics.map((d) => d.message)).toEqual([
      'nesting deeper than 64 levels',
    ]);
  });

  it('refuses custom and language tags instead of stringifying them', () => {
    const result = parseDocuments('a: !!python/object:os.system echo\n');
    expect(result.diagnostics[0]?.message).toMatch(/invalid YAML: unknown tag .*python\/object/);
  });

  it('refuses an oversized input', () => {
    const result = parseDocuments(`a: "${'x'.repeat(PARSE_LIMITS.maxBytes)}"`);
    expect(result.diagnostics[0]?.message).toMatch(/larger than/);
  });

  it('refuses duplicate keys and says where', () => {
    const result = parseDocuments('a: 1\na: 2\n');
    expect(result.diagnostics[0]?.message).toBe('invalid YAML: duplicated mapping key at line 2, column 1');
  });

  it('finds a duplicate key at any depth, and says where the first is', () => {
    // GIVEN keys twice in a map inside a list (and again further down)
    const text = ['spec:', '  containers:', '    - name: a', '      name: b', 'spec: again', ''].join('\n');
    // WHEN parsed THEN the first is reported, where it is, as kubectl stops at the first
    expect(parseDocuments(text).diagnostics.map((d) => d.message)).toEqual([
      'invalid YAML: duplicated mapping key at line 4, column 7',
    ]);
  });

  it('refuses an alias inside the node its anchor names: nothing could walk the cycle', () => {
    expect(parseDocuments('a: &x { b: *x }\n').diagnostics[0]?.message).toBe(
      'invalid YAML: an alias inside the node its anchor names',
    );
  });

  it('measures nesting through aliases', () => {
    // GIVEN 40 levels anchored, then 30 more levels around an alias of it
    const text = `a: &deep ${'['.repeat(40)}1${']'.repeat(40)}\nb: ${'['.repeat(30)}*deep${']'.repeat(30)}\n`;
    expect(parseDocuments(text).diagnostics[0]?.message).toMatch(/nesting deeper than 64 levels/);
  });

  it('reads multi-document streams and skips empty documents', () => {
    const result = parseDocuments('---\na: 1\n---\n---\nb: 2\n---\n');
    expect(result.documents.map((d) => d.value)).toEqual([{ a: 1 }, { b: 2 }]);
  });
});
