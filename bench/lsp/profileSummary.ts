/**
 * `node out/bench/lsp/profileSummary.js <file.cpuprofile> [top] [--under=functionName]`: where a V8
 * CPU profile of dist/server.js spends its time, by function in the TypeScript sources (through the
 * bundle's source map): self time (the function's own code) and total time (anything below it on the
 * stack). With --under, only samples taken while that function was on the stack count.
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { relative, resolve } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const REPO = resolve(__dirname, '../../..');
const sourceMaps = new Map<string, SourceMap | undefined>();

function sourceMapOf(url: string): SourceMap | undefined {
  if (!sourceMaps.has(url)) {
    try {
      const path = url.replace(/^file:\/\//, '');
      sourceMaps.set(url, new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8')) as never));
    } catch {
      sourceMaps.set(url, undefined);
    }
  }
  return sourceMaps.get(url);
}

/** `function (file:line)` in the original sources when the bundle has a map, else as V8 saw it. */
function describe(frame: ProfileNode['callFrame']): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  const map = sourceMapOf(frame.url);
  // Typed loosely on purpose: findEntry returns {} when the position has no mapping.
  const entry: { originalSource?: string; originalLine?: number } | undefined = map?.findEntry(
    frame.lineNumber,
    frame.columnNumber,
  );
  if (entry?.originalSource) {
    const source = relative(
      REPO,
      resolve(frame.url.replace(/^file:\/\//, ''), '..', entry.originalSource.replace(/^file:\/\//, '')),
    );
    return `${name} (${source}:${(entry.originalLine ?? 0) + 1})`;
  }
  return `${name} (${relative(REPO, frame.url.replace(/^file:\/\//, ''))}:${frame.lineNumber + 1})`;
}

function main(): void {
  const positional = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
  const under = process.argv.find((arg) => arg.startsWith('--under='))?.slice('--under='.length);
  const [path, topArg] = positional;
  if (!path) throw new Error('usage: profileSummary <file.cpuprofile> [top]');
  const top = Number(topArg ?? 30);
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const labels = new Map(profile.nodes.map((node) => [node.id, describe(node.callFrame)]));

  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  const onStack = (id: number, name: string) => {
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current))
      if (byId.get(current)?.callFrame.functionName === name) return true;
    return false;
  };
  profile.samples.forEach((id, index) => {
    if (under !== undefined && !onStack(id, under)) return;
    const micros = profile.timeDeltas[index] ?? 0;
    all += micros;
    const label = labels.get(id)!;
    self.set(label, (self.get(label) ?? 0) + micros);
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frameLabel = labels.get(current)!;
      if (!seen.has(frameLabel) && byId.get(current)) {
        seen.add(frameLabel);
        total.set(frameLabel, (total.get(frameLabel) ?? 0) + micros);
      }
    }
  });
  const print = (title: string, table: Map<string, number>) => {
    console.log(`\n${title} (of ${(all / 1000).toFixed(0)} ms sampled)`);
    for (const [label, micros] of [...table].sort((a, b) => b[1] - a[1]).slice(0, top))
      console.log(
        `${(micros / 1000).toFixed(1).padStart(9)} ms ${((100 * micros) / all).toFixed(1).padStart(5)}%  ${label}`,
      );
  };
  print('Self time', self);
  print('Total time', total);
}

main();
