/**
 * One server's measurements on the generated task file, all over stdio as an editor sees them:
 * time from didOpen to diagnostics (a fresh URI each time), time from a one-character edit to the
 * diagnostics of that version, completion at the end of the file (on a settled document, and sent
 * right behind a keystroke as editors do), and resident memory.
 */
import { performance } from 'node:perf_hooks';
import type { CompletionItem, CompletionList, Diagnostic } from 'vscode-languageserver-protocol';
import type { GeneratedTask } from './generateTask';
import { LspProcess, type Memory, type ServerLaunch } from './LspProcess';

export interface ServerSamples {
  name: string;
  openMs: number[];
  editMs: number[];
  completionMs: number[];
  /** From sending the keystroke's didChange to the completion answer. */
  keystrokeCompletionMs: number[];
  /** With the one large file open, after its first diagnostics. */
  memoryAfterFirstOpen: Memory;
  /** After every phase (all opened files closed again). */
  memoryAtEnd: Memory;
  completionLabels: number;
}

export interface Sanity {
  /** Text that both servers must flag (a mistyped integer). */
  text: string;
  /** True when the diagnostics show the server did the work we compare (e.g. the schema was applied). */
  accept: (diagnostics: Diagnostic[]) => boolean;
}

function labelsOf(result: CompletionList | CompletionItem[] | null): string[] {
  if (!result) return [];
  return (Array.isArray(result) ? result : result.items).map((item) => item.label);
}

/**
 * @param betweenOpens runs before each open, while the server is idle: the bare-parse samples are
 *   taken there so they see the same machine load as the server's.
 */
export async function measureServer(
  launch: ServerLaunch,
  root: string,
  task: GeneratedTask,
  sanity: Sanity,
  warmup: number,
  iterations: number,
  betweenOpens: (keep: boolean) => void = () => undefined,
): Promise<ServerSamples> {
  const server = new LspProcess(launch);
  const uriOf = (name: string) => `file://${root}/${name}`;
  try {
    await server.initialize(root);
    const check = await server.openAndTime(uriOf('sanity.acr-task.yaml'), sanity.text);
    if (!sanity.accept(check.diagnostics))
      throw new Error(`${launch.name} did not check the sanity file as expected: ${JSON.stringify(check.diagnostics)}`);

    const samples: ServerSamples = {
      name: launch.name,
      openMs: [],
      editMs: [],
      completionMs: [],
      keystrokeCompletionMs: [],
      memoryAfterFirstOpen: { rssMb: NaN, peakRssMb: NaN },
      memoryAtEnd: { rssMb: NaN, peakRssMb: NaN },
      completionLabels: 0,
    };
    const keep = (index: number) => index >= warmup;

    for (let index = 0; index < warmup + iterations; index++) {
      const uri = uriOf(`open-${index}.acr-task.yaml`);
      betweenOpens(keep(index));
      const { ms } = await server.openAndTime(uri, task.text);
      if (index === 0) samples.memoryAfterFirstOpen = server.memory();
      if (keep(index)) samples.openMs.push(ms);
      await server.close(uri);
    }

    const uri = uriOf('edited.acr-task.yaml');
    await server.openAndTime(uri, task.text);
    let version = 1;
    let editCharacter = task.text.split('\n')[task.editLine].length;
    const typeOneCharacter = () => {
      const at = { line: task.editLine, character: editCharacter++ };
      return [{ range: { start: at, end: at }, text: 'x' }];
    };
    for (let index = 0; index < warmup + iterations; index++) {
      const { ms } = await server.changeAndTime(uri, ++version, typeOneCharacter());
      if (keep(index)) samples.editMs.push(ms);
    }

    const completionParams = {
      textDocument: { uri },
      position: { line: task.completionLine, character: task.completionCharacter },
    };
    const completionSamples = Math.max(iterations, 40);
    for (let index = 0; index < warmup + completionSamples; index++) {
      const { ms, result } = await server.timeRequest<CompletionList | CompletionItem[] | null>(
        'textDocument/completion',
        completionParams,
      );
      if (index === 0) {
        const labels = labelsOf(result);
        if (!labels.includes('entryPoint'))
          throw new Error(`${launch.name} offered no step keys at the end of the file: ${labels.join(', ')}`);
        samples.completionLabels = labels.length;
      }
      if (keep(index)) samples.completionMs.push(ms);
    }
    for (let index = 0; index < warmup + completionSamples; index++) {
      const settled = server.diagnostics(uri, ++version);
      const sent = performance.now();
      await server.change(uri, version, typeOneCharacter());
      await server.timeRequest('textDocument/completion', completionParams);
      if (keep(index)) samples.keystrokeCompletionMs.push(performance.now() - sent);
      // Let this version's validation finish so it does not run inside the next sample.
      await settled;
    }
    samples.memoryAtEnd = server.memory();
    return samples;
  } catch (error) {
    const stderr = server.stderr.join('').trim();
    throw new Error(
      `${launch.name}: ${error instanceof Error ? error.message : String(error)}${stderr ? `\nstderr: ${stderr}` : ''}`,
      { cause: error },
    );
  } finally {
    await server.stop();
  }
}
