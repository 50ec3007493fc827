import { strict as assert } from 'node:assert';
import { runInChild } from '../../fuzz/childRunner';
import { formatFailures } from '../../fuzz/crashReport';
import { loadSeedCorpus } from '../../fuzz/seedCorpus';
import { FUZZ_SEED, HANG_MS, SERVICE_DOCUMENTS } from '../../fuzz/settings';

describe('language service on mutated task files (seeded fuzz)', function () {
  // 10,000 documents × ~15 calls: seconds, not the unit tier's usual milliseconds.
  this.timeout(600_000);

  it(`never throws, never fails internally, never hangs or kills the process; results are sendable (${SERVICE_DOCUMENTS} documents, seed ${FUZZ_SEED})`, async () => {
    const result = await runInChild(
      { kind: 'fuzz', seed: FUZZ_SEED, from: 0, count: SERVICE_DOCUMENTS },
      SERVICE_DOCUMENTS,
      HANG_MS,
    );
    const slowest = [...result.durations].sort((a, b) => b[1] - a[1]).slice(0, 3);
    console.log(
      `      language-service fuzz: ${result.durations.size + result.fatal.length} documents from ${loadSeedCorpus().length} seeds ` +
        `(${(result.characters / 1e6).toFixed(1)} M chars) in ${result.seconds.toFixed(1)} s; slowest: ` +
        slowest.map(([index, ms]) => `#${index} ${ms.toFixed(0)} ms`).join(', '),
    );
    const fatal = result.fatal.map((entry) => `document #${entry.index}: ${entry.reason}`);
    assert.deepEqual(fatal, [], `documents that ended or hung the process (replay: FUZZ_SEED=${FUZZ_SEED})`);
    assert.equal(
      result.failures.length,
      0,
      `the language service failed on mutated input:\n\n${formatFailures(result.failures)}`,
    );
    assert.equal(result.durations.size, SERVICE_DOCUMENTS);
  });
});
