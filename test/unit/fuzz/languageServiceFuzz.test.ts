import { strict as assert } from 'node:assert';
import { performance } from 'node:perf_hooks';
import { CrashCollector, signatureOf } from '../../fuzz/crashReport';
import { ServiceUnderTest } from '../../fuzz/exerciseService';
import { fuzzCases, mutatedText, type FuzzCase } from '../../fuzz/mutate';
import { loadSeedCorpus } from '../../fuzz/seedCorpus';
import { FUZZ_SEED, SERVICE_DOCUMENTS } from '../../fuzz/settings';

const URI = 'file:///fuzz/project/acr-task.yaml';

describe('language service on mutated task files (seeded fuzz)', function () {
  // 10,000 documents × ~15 calls: seconds, not the unit tier's usual milliseconds.
  this.timeout(300_000);

  it(`never throws, never fails internally, and returns sendable results (${SERVICE_DOCUMENTS} documents, seed ${FUZZ_SEED})`, function () {
    const corpus = loadSeedCorpus().map((seed) => seed.text);
    const underTest = new ServiceUnderTest();
    const crashes = new CrashCollector<FuzzCase>();
    const slowest: { ms: number; caseIndex: number }[] = [];
    const started = performance.now();
    let caseIndex = 0;
    let characters = 0;
    for (const fuzzCase of fuzzCases(FUZZ_SEED, SERVICE_DOCUMENTS)) {
      const text = mutatedText(fuzzCase, corpus);
      characters += text.length;
      const before = performance.now();
      // Same URI, rising version: the service sees one file being edited, as in an editor.
      for (const failure of underTest.exercise(URI, caseIndex + 1, text, fuzzCase))
        crashes.add(failure.operation, failure.error, caseIndex, text, fuzzCase);
      slowest.push({ ms: performance.now() - before, caseIndex });
      slowest.sort((a, b) => b.ms - a.ms).splice(3);
      caseIndex++;
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `      language-service fuzz: ${caseIndex} documents from ${corpus.length} seeds ` +
        `(${(characters / 1e6).toFixed(1)} M chars) in ${seconds.toFixed(1)} s; slowest: ` +
        slowest.map((entry) => `#${entry.caseIndex} ${entry.ms.toFixed(0)} ms`).join(', '),
    );
    assert.equal(caseIndex, SERVICE_DOCUMENTS);

    let replayVersion = SERVICE_DOCUMENTS + 1;
    // Replays with the failing case's probes and settings; only the text shrinks.
    const report = crashes.report((candidate, crash) =>
      underTest
        .exercise(URI, replayVersion++, candidate, crash.context)
        .some((failure) => signatureOf(failure.operation, failure.error) === crash.signature),
    );
    assert.equal(crashes.size, 0, `the language service failed on mutated input:\n\n${report}`);
  });
});
