import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { importCycles, importGraph, sourceFiles, type ImportEdge } from '../../support/importGraph';

/** The layer table of ARCHITECTURE.md: each backticked path is a group (a folder or one file). */
function layerTable(): Array<{ group: string; layer: number; position: number }> {
  const text = readFileSync(path.resolve(__dirname, '../../../ARCHITECTURE.md'), 'utf8');
  const table = /<!-- layers[^>]*-->([\s\S]*?)<!-- \/layers -->/.exec(text)?.[1] ?? '';
  return table
    .split('\n')
    .map((line) => /^\|\s*(\d+)\s*\|([^|]*)\|/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .flatMap((match) => [...match[2]!.matchAll(/`([^`]+)`/g)].map((group, position) => ({ group: group[1]!, layer: Number(match[1]), position })));
}

const GROUPS = layerTable();
const FILES = sourceFiles(['src', 'bots']);
const EDGES = importGraph(FILES);

/** The most specific group naming the file: bots/console/main.ts before bots/. */
function groupOf(file: string): { group: string; layer: number; position: number } | undefined {
  return GROUPS.filter(({ group }) => (group.endsWith('/') ? file.startsWith(group) : file === group)).sort((a, b) => b.group.length - a.group.length)[0];
}

const describeEdge = (edge: ImportEdge) => `${edge.from} (${groupOf(edge.from)?.layer}) → ${edge.to} (${groupOf(edge.to)?.layer})`;

describe('dependencies point one way (ARCHITECTURE.md)', () => {
  it('reads the layer table, and the import graph finds imports of every kind', () => {
    expect(GROUPS.map(({ group }) => group)).toEqual(expect.arrayContaining(['src/domain/', 'src/store/', 'src/usecases/', 'src/chat/', 'bots/', 'src/main.ts']));
    const edge = (from: string, to: string) => EDGES.some((each) => each.from === from && each.to === to);
    // a value import, a type-only import and a relative path out of bots/
    expect(edge('src/main.ts', 'src/service.ts')).toBe(true);
    expect(edge('src/store/messaging/outbox.ts', 'src/channel.ts')).toBe(true);
    expect(edge('bots/http/httpChannel.ts', 'src/channel.ts')).toBe(true);
  });

  it('places every source file in a layer', () => {
    expect(FILES.filter((file) => !groupOf(file))).toEqual([]);
  });

  it('has no import into a higher layer, nor into a group written after its own in the same row', () => {
    const wrong = EDGES.filter((edge) => {
      const from = groupOf(edge.from);
      const to = groupOf(edge.to);
      if (!from || !to || from.group === to.group) return false;
      return to.layer > from.layer || (to.layer === from.layer && to.position >= from.position);
    });
    expect(wrong.map(describeEdge)).toEqual([]);
  });

  it('names only files and folders that exist', () => {
    const text = readFileSync(path.resolve(__dirname, '../../../ARCHITECTURE.md'), 'utf8');
    const named = [...text.matchAll(/`((?:src|bots|tests)\/[^`<*\s]+)`/g)].map((match) => match[1]!.replace(/ .*$/, ''));
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((file) => !existsSync(path.resolve(__dirname, '../../..', file)))).toEqual([]);
  });

  it('has no import cycle, type-only imports included', () => {
    expect(importCycles(FILES, EDGES)).toEqual([]);
  });
});
