/**
 * Child-process entry (forked by childRunner.ts): receives one WorkerJob, runs every document of it
 * through the language service, and reports progress, minimised failures and totals to the parent.
 */
import { performance } from 'node:perf_hooks';
import { CrashCollector, signatureOf } from './crashReport';
import { ServiceUnderTest } from './exerciseService';
import { type FuzzCase, fuzzCases, mutatedText } from './mutate';
import { loadSeedCorpus } from './seedCorpus';
import type { WorkerJob, WorkerMessage } from './workerProtocol';

const URI = 'file:///fuzz/project/acr-task.yaml';

/** Fixed probes for plain texts: near the start and well inside the document. */
const TEXT_PROBES: FuzzCase = {
  seed: 0,
  mutations: [],
  probes: [
    { offset: 12, outOfRange: false },
    { offset: 10_000, outOfRange: false },
  ],
  set: [],
};

function send(message: WorkerMessage): void {
  process.send!(message);
}

/** Lets queued messages reach the parent (its hang watchdog listens to them) while the loop runs. */
function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function* documentsOf(job: WorkerJob): Generator<{ index: number; text: string; fuzzCase: FuzzCase }> {
  if (job.kind === 'texts') {
    for (let index = job.from; index < (job.to ?? job.texts.length); index++)
      yield { index, text: job.texts[index], fuzzCase: TEXT_PROBES };
    return;
  }
  const corpus = loadSeedCorpus().map((seed) => seed.text);
  let index = 0;
  for (const fuzzCase of fuzzCases(job.seed, job.count)) {
    // Cases before `from` are generated (the sequence must not shift) but not run again.
    if (index >= job.from) yield { index, text: mutatedText(fuzzCase, corpus), fuzzCase };
    index++;
  }
}

async function run(job: WorkerJob): Promise<void> {
  const underTest = new ServiceUnderTest();
  // Compile the service's code paths first, so the first timed document does not pay for the JIT.
  underTest.exercise(URI, 0, 'version: v1.1.0\nsteps:\n  - id: a\n    cmd: bash echo {{ .Run.ID }} $ID\n', TEXT_PROBES);
  const crashes = new CrashCollector<FuzzCase>();
  const started = performance.now();
  let documents = 0;
  let characters = 0;
  for (const { index, text, fuzzCase } of documentsOf(job)) {
    send({ type: 'start', index });
    const before = performance.now();
    // Same URI, rising version: the service sees one file being edited, as in an editor.
    for (const failure of underTest.exercise(URI, index + 1, text, fuzzCase))
      crashes.add(failure.operation, failure.error, index, text, fuzzCase);
    send({ type: 'finished', index, ms: performance.now() - before });
    documents++;
    characters += text.length;
    if (documents % 20 === 0) await flush();
  }
  let replayVersion = Number.MAX_SAFE_INTEGER / 2;
  // Plain texts are written to be minimal already; fuzz cases get shrunk.
  const maxTries = job.kind === 'texts' ? 0 : undefined;
  for (const crash of crashes.minimised(
    (candidate, known) =>
      // Replays with the failing case's probes and settings; only the text shrinks.
      underTest
        .exercise(URI, replayVersion++, candidate, known.context)
        .some((failure) => signatureOf(failure.operation, failure.error) === known.signature),
    maxTries,
  ))
    send({ type: 'failure', failure: crash });
  send({ type: 'done', documents, characters, seconds: (performance.now() - started) / 1000 });
}

process.once('message', (job: WorkerJob) => {
  void run(job).then(() => {
    // Disconnecting right away could drop messages still queued; an empty one's callback runs after them.
    process.send!({ type: 'flushed' }, () => process.disconnect());
  });
});
