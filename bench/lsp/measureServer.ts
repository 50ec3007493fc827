/**
 * One server's measurements on the generated task file, all over stdio as an editor sees them:
 * time from didOpen to diagnostics (a fresh URI each time), time from a one-character edit to the
 * diagnostics of that version, completion at the end of the file (on a settled document, and sent
 * right behind a keystroke as editors do), and resident memory.
 *
 * Each method takes one sample, so run.ts can alternate the servers sample by sample: on a shared
 * machine the load drifts over a minute, and alternating makes both servers see the same drift.
 */
import { performance } from 'node:perf_hooks';
import type {
  CompletionItem,
  CompletionList,
  Diagnostic,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';
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

export class BenchedServer {
  private readonly server: LspProcess;
  private readonly editedUri: string;
  private version = 1;
  private editCharacter: number;
  private opens = 0;
  readonly samples: ServerSamples;

  constructor(
    readonly launch: ServerLaunch,
    private readonly root: string,
    private readonly task: GeneratedTask,
  ) {
    this.server = new LspProcess(launch);
    this.editedUri = this.uriOf('edited.acr-task.yaml');
    this.editCharacter = task.text.split('\n')[task.editLine].length;
    this.samples = {
      name: launch.name,
      openMs: [],
      editMs: [],
      completionMs: [],
      keystrokeCompletionMs: [],
      memoryAfterFirstOpen: { rssMb: NaN, peakRssMb: NaN },
      memoryAtEnd: { rssMb: NaN, peakRssMb: NaN },
    };
  }

  private uriOf(name: string): string {
    return `file://${this.root}/${name}`;
  }

  /** Starts the server and checks it really does the work compared (see Sanity). */
  async start(sanity: Sanity): Promise<void> {
    await this.guard(async () => {
      await this.server.initialize(this.root);
      const check = await this.server.openAndTime(this.uriOf('sanity.acr-task.yaml'), sanity.text);
      if (!sanity.accept(check.diagnostics))
        throw new Error(`did not check the sanity file as expected: ${JSON.stringify(check.diagnostics)}`);
    });
  }

  /** Opens the task under a fresh URI, times its diagnostics, closes it. */
  async open(keep: boolean): Promise<void> {
    await this.guard(async () => {
      const uri = this.uriOf(`open-${this.opens++}.acr-task.yaml`);
      const { ms } = await this.server.openAndTime(uri, this.task.text);
      if (this.opens === 1) this.samples.memoryAfterFirstOpen = this.server.memory();
      if (keep) this.samples.openMs.push(ms);
      await this.server.close(uri);
    });
  }

  /** Opens the document the edit and completion samples work on, and checks completion offers step keys. */
  async openEdited(): Promise<void> {
    await this.guard(async () => {
      await this.server.openAndTime(this.editedUri, this.task.text);
      const { result } = await this.completion();
      const labels = labelsOf(result);
      if (!labels.includes('entryPoint'))
        throw new Error(`offered no step keys at the end of the file: ${labels.join(', ')}`);
    });
  }

  private typeOneCharacter(): TextDocumentContentChangeEvent[] {
    const at = { line: this.task.editLine, character: this.editCharacter++ };
    return [{ range: { start: at, end: at }, text: 'x' }];
  }

  private completion() {
    return this.server.timeRequest<CompletionList | CompletionItem[] | null>('textDocument/completion', {
      textDocument: { uri: this.editedUri },
      position: { line: this.task.completionLine, character: this.task.completionCharacter },
    });
  }

  /** One typed character in the middle; times the diagnostics of that version. */
  async edit(keep: boolean): Promise<void> {
    await this.guard(async () => {
      const { ms } = await this.server.changeAndTime(this.editedUri, ++this.version, this.typeOneCharacter());
      if (keep) this.samples.editMs.push(ms);
    });
  }

  /** Completion at the end of the settled file. */
  async complete(keep: boolean): Promise<void> {
    await this.guard(async () => {
      const { ms } = await this.completion();
      if (keep) this.samples.completionMs.push(ms);
    });
  }

  /** A keystroke and the completion request right behind it, timed from the keystroke. */
  async keystrokeComplete(keep: boolean): Promise<void> {
    await this.guard(async () => {
      const settled = this.server.diagnostics(this.editedUri, ++this.version);
      const sent = performance.now();
      await this.server.change(this.editedUri, this.version, this.typeOneCharacter());
      await this.completion();
      if (keep) this.samples.keystrokeCompletionMs.push(performance.now() - sent);
      // Let this version's validation finish so it does not run inside the next sample.
      await settled;
    });
  }

  recordFinalMemory(): void {
    this.samples.memoryAtEnd = this.server.memory();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private async guard(step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (error) {
      const stderr = this.server.stderr.join('').trim();
      throw new Error(
        `${this.launch.name}: ${error instanceof Error ? error.message : String(error)}${stderr ? `\nstderr: ${stderr}` : ''}`,
        { cause: error },
      );
    }
  }
}
