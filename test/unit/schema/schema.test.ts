import { strict as assert } from 'node:assert';
import { compileSchema, readJson, schemaPath, validateText } from './schemaSupport';

/** A task file using every effective key, with the values ACR's own samples use. */
const everyKey = `version: v1.1.0
stepTimeout: 900
workingDirectory: src
env: ["A=1,B=2", "REGISTRY=$Registry"]
secrets:
  - id: pwd
    keyvault: https://myvault.vault.azure.net/secrets/pwd
    clientID: 0b6f4c4e-1a2b-4c3d-8e9f-0a1b2c3d4e5f
networks:
  - {name: mynet, driver: bridge, ipv6: false, skipCreation: false, isDefault: true}
volumes:
  - name: creds
    secret:
      password.txt: "{{.Secrets.pwd | b64enc}}"
      user: dXNlcg==
alias:
  values:
    repo: myrepo
  src: ["./aliases.yaml"]
  directive: "$"
isbuildtask: false
steps:
  # build ─ test ─ push
  - id: build
    build: -t $Registry/$repo/app:$ID -f Dockerfile .
    cache: enabled
    tags: [app:latest]
    timeout: 1200
    retries: 1
    retryDelay: 10
    repeat: 0
    retryOnErrors: ["toomanyrequests"]
    env: ["DOCKER_BUILDKIT=1"]
    cpus: "2"
  - id: test
    cmd: $Registry/$repo/app:$ID go test ./...
    entryPoint: /bin/sh
    when: [build]
    startDelay: 2
    ignoreErrors: false
    detach: false
    keep: false
    privileged: false
    user: "1000"
    network: mynet
    isolation: default
    env: ["LIST=a,b"]
    ports: ["8080:80"]
    expose: ["80"]
    workingDirectory: /app
    disableWorkingDirectoryOverride: false
    pull: true
    cmdDownloadRetries: 3
    cmdDownloadRetryDelay: 5
    volumeMounts:
      - {name: creds, mountPath: /run/secrets}
  - push: ["$Registry/$repo/app:$ID"]
    when: [test]
`;

const validFiles: [string, string][] = [
  ['a minimal cmd step', 'steps:\n  - cmd: alpine true\n'],
  ['every key', everyKey],
  ['steps: with no items (a valid no-op run)', 'version: v1.0.0\nsteps:\n'],
  ['an empty step list', 'steps: []\n'],
  [
    'an unquoted template in an integer key',
    'stepTimeout: {{ .Values.t }}\nsteps:\n  - cmd: x\n    timeout: {{.Values.t}}\n',
  ],
  ['a template inside a plain integer scalar', 'steps:\n  - cmd: x\n    retries: 1{{ .Values.extra }}\n'],
  ['a quoted template in an integer key', 'steps:\n  - cmd: x\n    timeout: "{{ .Values.t }}"\n'],
  ['templated booleans', 'steps:\n  - cmd: x\n    keep: {{ .Values.keep }}\n    detach: "{{ .Values.detach }}"\n'],
  [
    'templated lists and list items',
    'steps:\n  - cmd: x\n    when: [{{ .Values.after }}]\n    env:\n      - {{ .Values.env }}\n',
  ],
  ['a templated version (aliases on)', 'version: {{ .Values.v }}\nsteps: [{cmd: x}]\n'],
  ['a capital-V version (valid, aliases off)', 'version: V1.1.0\nsteps: [{cmd: x}]\n'],
  [
    'YAML 1.1 booleans, which ACR reads as booleans',
    'steps:\n  - {cmd: x, keep: yes, detach: on, privileged: off, pull: n}\n',
  ],
  [
    'numbers in text keys and lists (ACR reads any scalar as text)',
    'steps:\n  - {cmd: x, user: 1000, cpus: 2, ports: [8080], id: 7}\n',
  ],
  ['cache in any letter case on a cmd step (accepted, ignored)', 'steps:\n  - {cmd: x, cache: ENABLED}\n'],
  ['cache: Disabled on a build step', 'steps:\n  - {build: ., cache: Disabled}\n'],
  ['a step id Docker would reject but ACR accepts', 'steps:\n  - {id: my/step, cmd: x}\n'],
  ['an empty push list next to cmd (push: [] is no push)', 'steps:\n  - {cmd: x, push: []}\n'],
  ['an empty cmd next to build ("" is no cmd)', 'steps:\n  - {cmd: "", build: .}\n'],
  ['when: ["-"]', 'steps:\n  - {id: a, cmd: x}\n  - {cmd: y, when: ["-"]}\n'],
  ['the same env text at step level that fails at task level', 'steps:\n  - {cmd: x, env: ["LIST=a,b"]}\n'],
  ['a pass-through step env entry', 'steps:\n  - {cmd: x, env: [FOO]}\n'],
  ['a push step with an empty volumeMounts list', 'steps:\n  - {push: [img], volumeMounts: []}\n'],
  ['clientID as {GUID}', 'secrets:\n  - {id: s, keyvault: k, clientID: "{0B6F4C4E-1A2B-4C3D-8E9F-0A1B2C3D4E5F}"}\n'],
  [
    'clientID as urn:uuid:',
    'secrets:\n  - {id: s, keyvault: k, clientID: "URN:UUID:0b6f4c4e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"}\n',
  ],
  ['clientID without dashes', 'secrets:\n  - {id: s, keyvault: k, clientID: 0b6f4c4e1a2b4c3d8e9f0a1b2c3d4e5f}\n'],
  ['a templated clientID', 'secrets:\n  - {id: s, keyvault: k, clientID: "{{ .Values.identity }}"}\n'],
  ['an emoji alias directive', 'alias:\n  directive: "🙂"\n'],
  [
    'volumeMount (singular): ignored by ACR, a warning not an error',
    'steps:\n  - {cmd: x, volumeMount: [{name: v, mountPath: /v}]}\n',
  ],
  ['totalTimeout: ignored by ACR, a warning not an error', 'totalTimeout: 100\nsteps: [{cmd: x}]\n'],
];

/** [title, file, JSON pointer of the failing value, the Ajv keyword that must fail there]. */
const invalidFiles: [string, string, string, string][] = [
  ['cmd and build in one step', 'steps:\n  - {cmd: alpine true, build: .}\n', '/steps/0', 'oneOf'],
  ['no step kind', 'steps:\n  - {id: x}\n', '/steps/0', 'oneOf'],
  ['only an empty push list', 'steps:\n  - {id: x, push: []}\n', '/steps/0', 'oneOf'],
  ['a misspelt step key', 'steps:\n  - {cmd: x, entrypoint: sh}\n', '/steps/0', 'additionalProperties'],
  ['an unknown top-level key', 'steps: []\nstep_timeout: 5\n', '', 'additionalProperties'],
  ['an unsupported version', 'version: v2.0.0\n', '/version', 'anyOf'],
  ['negative retries', 'steps:\n  - {cmd: x, retries: -1}\n', '/steps/0/retries', 'anyOf'],
  ['negative repeat', 'steps:\n  - {cmd: x, repeat: -1}\n', '/steps/0/repeat', 'anyOf'],
  ['a quoted number in an integer key', 'steps:\n  - {cmd: x, timeout: "10"}\n', '/steps/0/timeout', 'anyOf'],
  ['a fractional timeout (ACR truncates it)', 'steps:\n  - {cmd: x, timeout: 1.5}\n', '/steps/0/timeout', 'anyOf'],
  ['a scalar when', 'steps:\n  - {id: a, cmd: x}\n  - {cmd: y, when: a}\n', '/steps/1/when', 'anyOf'],
  [
    '"-" mixed with ids in when',
    'steps:\n  - {id: a, cmd: x}\n  - {cmd: y, when: ["-", a]}\n',
    '/steps/1/when',
    'maxItems',
  ],
  [
    'a duplicate when entry (ACR would wait forever)',
    'steps:\n  - {id: a, cmd: x}\n  - {cmd: y, when: [a, a]}\n',
    '/steps/1/when',
    'uniqueItems',
  ],
  ['cache: yes', 'steps:\n  - {build: ., cache: "yes"}\n', '/steps/0/cache', 'anyOf'],
  ['whitespace in a step id', 'steps:\n  - {id: "a b", cmd: x}\n', '/steps/0/id', 'anyOf'],
  ['the reserved id acb_root', 'steps:\n  - {id: acb_root, cmd: x}\n', '/steps/0/id', 'anyOf'],
  ['a comma inside a task env value', 'env: ["LIST=a,b"]\nsteps: [{cmd: x}]\n', '/env', 'anyOf'],
  ['a task env entry without =', 'env: [FOO]\n', '/env', 'anyOf'],
  ['a non-boolean keep', 'steps:\n  - {cmd: x, keep: maybe}\n', '/steps/0/keep', 'anyOf'],
  [
    'volumeMounts on a push step',
    'volumes: [{name: v, secret: {a: YQ==}}]\nsteps:\n  - {push: [img], volumeMounts: [{name: v, mountPath: /v}]}\n',
    '/steps/0',
    'oneOf',
  ],
  [
    'a volume mount without mountPath',
    'steps:\n  - {cmd: x, volumeMounts: [{name: v}]}\n',
    '/steps/0/volumeMounts/0',
    'required',
  ],
  ['a volume name with a space', 'volumes: [{name: "v 1", secret: {a: YQ==}}]\n', '/volumes/0/name', 'anyOf'],
  ['a volume without secret', 'volumes: [{name: v}]\n', '/volumes/0', 'required'],
  ['an empty volume secret map', 'volumes: [{name: v, secret: {}}]\n', '/volumes/0/secret', 'minProperties'],
  [
    'a secret file name with a slash',
    'volumes: [{name: v, secret: {"a/b": YQ==}}]\n',
    '/volumes/0/secret',
    'propertyNames',
  ],
  [
    'a secret file value that is not Base64',
    'volumes: [{name: v, secret: {a: "not base64!"}}]\n',
    '/volumes/0/secret/a',
    'anyOf',
  ],
  ['a secret without keyvault', 'secrets: [{id: s}]\n', '/secrets/0', 'required'],
  [
    'a clientID that is not a GUID',
    'secrets: [{id: s, keyvault: k, clientID: not-a-guid}]\n',
    '/secrets/0/clientID',
    'anyOf',
  ],
  ['a network without name', 'networks: [{driver: bridge}]\n', '/networks/0', 'required'],
  ['an alias name with a dash', 'alias:\n  values: {my-repo: x}\n', '/alias/values', 'propertyNames'],
  ['a two-character directive', 'alias:\n  directive: "ab"\n', '/alias/directive', 'pattern'],
  ['an alphanumeric directive', 'alias:\n  directive: "a"\n', '/alias/directive', 'pattern'],
  ['an unknown alias key', 'alias:\n  value: {a: b}\n', '/alias', 'additionalProperties'],
];

/** Every object inside the schema, with its JSON pointer. */
function schemaNodes(node: unknown, pointer = ''): [string, Record<string, unknown>][] {
  if (typeof node !== 'object' || node === null) return [];
  const children = Object.entries(node).flatMap(([key, value]) => schemaNodes(value, `${pointer}/${key}`));
  return Array.isArray(node) ? children : [[pointer, node as Record<string, unknown>], ...children];
}

/** Headings of the Learn YAML reference page that docsUrl may point at. */
const learnAnchors = [
  'task-properties',
  'secret',
  'network',
  'volume',
  'task-step-types',
  'build',
  'push',
  'cmd',
  'access-secret-volumes',
  'task-step-properties',
  'volumemount',
  'example-id',
  'example-when',
  'aliases',
  'custom-alias',
];

describe('acr-task.schema.json', () => {
  const { ajv, validate } = compileSchema();
  const nodes = schemaNodes(readJson(schemaPath));

  it('never puts keywords beside $ref (draft-07 ignores them; wrap the $ref in allOf)', () => {
    assert.deepEqual(
      nodes.filter(([, node]) => '$ref' in node && Object.keys(node).length > 1).map(([pointer]) => pointer),
      [],
    );
  });

  it('links docs only to headings of the Learn YAML reference', () => {
    const page = 'https://learn.microsoft.com/azure/container-registry/container-registry-tasks-reference-yaml#';
    const links = nodes.flatMap(([pointer, node]) => {
      const meta = node['x-acr'] as { docsUrl?: string } | undefined;
      return meta?.docsUrl === undefined ? [] : [[pointer, meta.docsUrl]];
    });
    assert.deepEqual(
      links.filter(([, url]) => !(url.startsWith(page) && learnAnchors.includes(url.slice(page.length)))),
      [],
    );
  });

  it('is a valid draft-07 JSON Schema that Ajv compiles in strict mode', () => {
    assert.deepEqual(
      { valid: ajv.validateSchema(readJson(schemaPath) as object), errors: ajv.errors ?? null },
      { valid: true, errors: null },
    );
  });

  for (const [title, text] of validFiles) {
    it(`accepts ${title}`, () => {
      const result = validateText(validate, text);
      assert.deepEqual(result, { valid: true, errors: [] });
    });
  }

  for (const [title, text, path, keyword] of invalidFiles) {
    it(`rejects ${title} (${keyword} at "${path}")`, () => {
      const result = validateText(validate, text);
      const atPath = result.errors.filter((error) => error.instancePath === path).map((error) => error.keyword);
      assert.deepEqual(
        { valid: result.valid, failsThere: atPath.includes(keyword) },
        { valid: false, failsThere: true },
        `errors: ${JSON.stringify(result.errors.map((error) => [error.instancePath, error.keyword]))}`,
      );
    });
  }
});
