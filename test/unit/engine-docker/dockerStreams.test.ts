import { deepStrictEqual, strictEqual } from 'node:assert';
import { Readable } from 'node:stream';

import type { OutputStream } from '../../../server/src/engine/ContainerRuntime';
import {
  StreamDemultiplexer,
  progressLine,
  readJsonMessages,
  registryFailureStatus,
  splitImageReference,
  type JsonMessage,
} from '../../../server/src/engine/docker/dockerStreams';

function frame(type: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('StreamDemultiplexer', () => {
  const stream = Buffer.concat([frame(1, 'out 1\n'), frame(2, 'err 1\n'), frame(1, 'out 2\n')]);
  const expected: Array<[OutputStream, string]> = [
    ['stdout', 'out 1\n'],
    ['stderr', 'err 1\n'],
    ['stdout', 'out 2\n'],
  ];
  const splits: Array<[string, number[]]> = [
    ['one chunk', []],
    ['split inside a header', [3]],
    ['split inside a payload', [10]],
    ['byte by byte', Array.from({ length: stream.length - 1 }, (_, i) => i + 1)],
  ];
  for (const [name, cuts] of splits) {
    it(name, () => {
      const seen: Array<[OutputStream, string]> = [];
      const demux = new StreamDemultiplexer((s, chunk) => seen.push([s, chunk.toString()]));
      let start = 0;
      for (const cut of [...cuts, stream.length]) {
        demux.push(stream.subarray(start, cut));
        start = cut;
      }
      // A frame is passed on once it is complete, however the bytes were chunked.
      deepStrictEqual({ seen, leftover: demux.leftover }, { seen: expected, leftover: 0 });
    });
  }
});

describe('readJsonMessages', () => {
  it('decodes messages split across chunks, CRLF lines and non-JSON lines', async () => {
    const chunks = [
      '{"stream":"Step 1/2 : FROM x\\n"}\r\n{"aux":{"ID":"sha',
      '256:abc"}}\n',
      'plain text\n{"status":"Pull',
      'ing"}',
    ];
    const messages: JsonMessage[] = [];
    await readJsonMessages(Readable.from(chunks.map((c) => Buffer.from(c))), (m) => messages.push(m));
    deepStrictEqual(messages, [
      { stream: 'Step 1/2 : FROM x\n' },
      { aux: { ID: 'sha256:abc' } },
      { stream: 'plain text\n' },
      { status: 'Pulling' },
    ]);
  });
});

describe('progress and registry failures', () => {
  it('formats progress lines', () => {
    deepStrictEqual(
      [
        progressLine({ id: 'abc', status: 'Pushing', progress: '[==>  ] 1MB/2MB' }),
        progressLine({ status: 'The push refers to repository [r/x]' }),
        progressLine({ aux: {} }),
      ],
      ['abc: Pushing [==>  ] 1MB/2MB\n', 'The push refers to repository [r/x]\n', undefined],
    );
  });

  const statuses: Array<[string, number | undefined]> = [
    ['unauthorized: authentication required', 401],
    ['Head "http://127.0.0.1:5000/v2/x/manifests/1": no basic auth credentials', 401],
    ["pull access denied for x, repository does not exist or may require 'docker login'", 401],
    ['denied: requested access to the resource is denied', 403],
    ['manifest unknown: manifest unknown', 404],
    ['name unknown: repository name not known to registry', 404],
    ['Get "http://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused', undefined],
  ];
  for (const [text, expected] of statuses)
    it(`${text} → ${expected}`, () => strictEqual(registryFailureStatus(text), expected));

  const references: Array<[string, ReturnType<typeof splitImageReference>]> = [
    ['busybox', { repository: 'busybox' }],
    ['busybox:1', { repository: 'busybox', tag: '1' }],
    ['localhost:5000/app', { repository: 'localhost:5000/app' }],
    ['localhost:5000/app:v2', { repository: 'localhost:5000/app', tag: 'v2' }],
    ['r.io/app@sha256:abc', { repository: 'r.io/app', digest: 'sha256:abc' }],
  ];
  for (const [input, expected] of references)
    it(`splits ${input}`, () => deepStrictEqual(splitImageReference(input), expected));
});
