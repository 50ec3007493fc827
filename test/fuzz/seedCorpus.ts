/**
 * The documents the fuzzers mutate: every task file under test/fixtures (real files the other test
 * tiers use), plus the task-file examples of the ACR spec §11 (edge cases 1–51) and a few larger files
 * that combine aliases, templates, block scalars and every sub-object, so the corpus reaches the
 * alias, template and validation code even when test/fixtures holds few task files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export interface SeedDocument {
  /** Where it came from: a fixture path relative to the repo, or `spec §11.N`. */
  name: string;
  text: string;
}

/** test/fixtures in the source tree (the compiled tests run from out/test/fuzz). */
export const FIXTURES_DIR = resolve(__dirname, '../../../test/fixtures');

const SPEC_EXAMPLES: Record<string, string> = {
  'spec §11.1 forward reference': 'steps:\n  - {id: a, cmd: alpine true, when: [b]}\n  - {id: b, cmd: alpine true}\n',
  'spec §11.2 duplicate id': 'steps:\n  - {id: a, cmd: alpine true}\n  - {id: a, cmd: alpine true}\n',
  'spec §11.3 auto id collision':
    'steps:\n  - {id: acb_step_1, cmd: alpine true}\n  - cmd: alpine true        # auto id acb_step_1\n',
  'spec §11.4 reserved id': 'steps:\n  - {id: acb_root, cmd: alpine true}\n',
  'spec §11.5 immediate mixed': 'steps:\n  - {id: a, cmd: x}\n  - {id: b, cmd: x, when: ["-", "a"]}\n',
  'spec §11.6 self dependency': 'steps:\n  - {id: a, cmd: x, when: [a]}\n',
  'spec §11.7 implicit dependency':
    'steps:\n  - {id: a, cmd: slow}          # root\n  - {id: b, cmd: fast, when: ["-"]}  # root\n  - {id: c, cmd: fast}          # after b only\n  - {id: d, cmd: x, when: [a, c]}\n',
  'spec §11.8 empty when': 'steps:\n  - {id: a, cmd: x}\n  - {id: b, cmd: x, when: []}\n',
  'spec §11.9 duplicate when entry':
    'steps:\n  - {id: a, cmd: alpine true}\n  - {id: b, cmd: alpine true, when: [a, a]}\n',
  'spec §11.10 ignoreErrors':
    'steps:\n  - {id: a, cmd: alpine false, ignoreErrors: true}\n  - {id: b, cmd: alpine true}                # runs (a counted as success)\n  - {id: c, cmd: alpine sleep 60, when: ["-"]}\n  - {id: d, cmd: alpine false, when: [b]}    # fails -> run fails now\n  - {id: e, cmd: alpine true, when: [d]}     # never starts\n',
  'spec §11.11 version case': 'version: V1.1.0\nsteps:\n  - cmd: bash echo $ID\n',
  'spec §11.12 unknown version': 'version: v2.0.0\nsteps:\n  - cmd: bash echo $ID\n',
  'spec §11.13 templated version': 'version: {{.Values.v}}\nsteps:\n  - cmd: bash echo $ID\n',
  'spec §11.14 version after steps': 'steps:\n  - cmd: bash echo $ID\nversion: v1.1.0\n',
  'spec §11.15 timeout defaults':
    'stepTimeout: -3\nsteps:\n  - {cmd: alpine true, timeout: 0, retryDelay: -1}\n  - {cmd: alpine true, timeout: 30, retryDelay: 2}\n',
  'spec §11.16 negative retries': 'steps:\n  - {cmd: x, retries: -1}\n  - {cmd: x, repeat: -1}\n',
  'spec §11.17 numeric typing': 'steps:\n  - {cmd: x, timeout: "10"}\n  - {cmd: x, timeout: 1.5}\n',
  'spec §11.18 comma in task env': 'env: ["LIST=a,b"]\nsteps: [{cmd: alpine env}]\n',
  'spec §11.19 env without =': 'env: ["A=1"]\nsteps:\n  - {cmd: alpine env, env: [FOO]}\n',
  'spec §11.20 env override':
    'env: ["A=task", "B=task"]\nsteps: [{id: s, cmd: alpine env, env: ["A=step", "D=1", "A=dup"]}]\n',
  'spec §11.21 cache values':
    'steps:\n  - {cmd: x, cache: "yes"}\n  - {cmd: x, cache: ENABLED}\n  - {build: -t a ., cache: Enabled}\n',
  'spec §11.22 scalar when': 'steps:\n  - {id: step1, cmd: x}\n  - {cmd: x, when: step1}\n',
  'spec §11.23 misspelled keys':
    'totalTimeout: 100\nsteps:\n  - cmd: alpine ls /run/v\n    volumeMount: [{name: v, mountPath: /run/v}]   # singular: ignored\n',
  'spec §11.24 empty steps': 'steps:\n',
  'spec §11.24 renders empty': '{{if false}}x{{end}}',
  'spec §11.25 step kinds': 'steps:\n  - {}\n  - {id: x, push: []}\n  - {cmd: a, build: .}\n',
  'spec §11.26 whitespace in id':
    'steps:\n  - {id: "a b", cmd: x}\n  - {id: "a\tb", cmd: x}\n  - {id: my/step, cmd: x}\n',
  'spec §11.27 push normalization':
    'steps:\n  - push: ["img", "img:latest", "localhost:5000/img", "reg.io/a/b", "reg.io/x@sha256:abc"]\n',
  'spec §11.28 tag extraction':
    'steps:\n  - build: --tag=a:1 -t b:2 --tag c:3 -t "d:4" --build-arg X=1 --build-arg=Y=2 .\n',
  'spec §11.29 networks':
    'networks: [{name: mynet}]\nsteps:\n  - cmd: alpine true                # no --network flag at all\n  - {cmd: alpine true, network: host}\n',
  'spec §11.30 alias escapes':
    'version: v1.1.0\nalias:\n  values:\n    repo: myrepo\nsteps:\n  - cmd: echo $repo $$repo $$$repo $repo$repo $repo-x ${repo} $$ $unknown$repo\n',
  'spec §11.31 alias validation':
    'version: v1.1.0\nalias:\n  directive: "&"\n  values:\n    my-repo: x\n    repo: y\nsteps:\n  - cmd: bash echo &repo $repo $ID\n',
  'spec §11.32 overriding predefined':
    'version: v1.1.0\nalias:\n  values: {ID: fixed, bash: ubuntu}\nsteps:\n  - cmd: bash echo $ID\n',
  'spec §11.33 templates in aliases':
    'version: v1.1.0\nalias:\n  values:\n    img: "{{.Values.base}}:{{.Run.ID}}"\n    chain: "$img"\nsteps: [{cmd: bash echo $img $chain}]\n',
  'spec §11.34 first-word alias': 'version: v1.1.0\nsteps:\n  - cmd: "  az   login"\n  - cmd: curlx foo\n',
  'spec §11.35 comments in block scalars':
    "steps:\n  - cmd: |\n      bash -c 'echo one\n      # kept for bash?\n      echo two'\n",
  'spec §11.36 foreign braces':
    "steps:\n  - cmd: docker ps --format '{{.ID}}'\n  - cmd: docker ps --format '{{`{{.ID}}`}}'\n",
  'spec §11.37 missing nested value': 'steps:\n  - cmd: alpine echo {{.Values.cfg.port}} {{.Values.port}}\n',
  'spec §11.39 string booleans': 'steps:\n  - cmd: alpine echo {{ if .Values.enabled }}on{{ else }}off{{ end }}\n',
  'spec §11.41 b64enc': 'steps:\n  - cmd: alpine echo {{.Values.n | b64enc}} {{.Values.n | toString | b64enc}}\n',
  'spec §11.42 mount rules':
    'volumes:\n  - name: v\n    secret:\n      a/b: dmFsdWU=\n  - name: "v 1"\nsteps:\n  - push: [img]\n    volumeMounts: [{name: v, mountPath: /a}]\n  - cmd: x\n    volumeMounts: [{name: nope, mountPath: /a}, {name: v, mountPath: /a}]\n',
  'spec §11.43 secret rules':
    'secrets:\n  - id: s\n  - id: t\n    keyvault: https://v.vault.azure.net/secrets/t\n    clientID: not-a-guid\n  - id: t\n    keyvault: https://v.vault.azure.net/secrets/t\nsteps:\n  - cmd: x\n    secretEnvs: [s]\n',
  'spec §11.46 workdir override':
    'steps: [{cmd: alpine pwd, workingDirectory: src, disableWorkingDirectoryOverride: true}]\n',
  'spec §11.47 path cleaning':
    'steps:\n  - {cmd: x, workingDirectory: /abs/../path/}\n  - {cmd: x, workingDirectory: ../etc}\n',
  'spec §11.48 runner shell': 'version: v1.1.0\nsteps:\n  - cmd: alpine echo $HOME $OS $$OS\n',
  'spec §11.49 keep detach': 'steps:\n  - {cmd: nginx, detach: true, keep: true}\n',
  'spec §11.50 undocumented keys':
    'isbuildtask: true\nsteps:\n  - {build: -t a ., tags: [zzz]}\n  - {cmd: x, cpus: "2"}\n',
  'spec §11.51 hash directive':
    'version: v1.1.0\nalias:\n  directive: "#"\n  values: {repo: myrepo}\nsteps:\n  - cmd: bash echo #repo #ID #unknown tail $ID\n',
};

const RICH_EXAMPLES: Record<string, string> = {
  'rich: every sub-object': `# DAG: build -> (test, scan) -> push
version: v1.1.0
stepTimeout: 900
workingDirectory: src
env: ["GLOBAL=1", "MODE={{ .Values.mode }}"]
alias:
  src:
    - aliases.yaml
  values:
    repo: {{ .Run.Registry }}/app
    tool: mcr.microsoft.com/tool:1
secrets:
  - id: token
    keyvault: https://myvault.vault.azure.net/secrets/token
    clientID: 00000000-0000-0000-0000-000000000000
networks:
  - name: backend
    isDefault: true
    skipCreation: false
volumes:
  - name: config
    secret:
      app.conf: {{ .Values.conf | b64enc }}
steps:
  - id: build
    build: -t $repo:{{ .Run.ID }} -f Dockerfile --build-arg V={{ .Values.v }} .
    cache: enabled
    timeout: 1200
  - id: test
    cmd: $repo:{{ .Run.ID }} go test ./...
    when: [build]
    env: ["CI=true"]
    secretEnvs: [token]
    volumeMounts:
      - name: config
        mountPath: /etc/app
    retries: 2
    retryOnErrors: ["timeout"]
    retryDelay: 10
  - id: scan
    cmd: |
      bash -c '
        echo scanning {{ .Run.ID }}
        {{ if .Values.strict }}exit 1{{ end }}
      '
    when: [build]
    ignoreErrors: true
    network: backend
    ports: ["8080:80"]
    expose: ["80"]
  - id: push
    push:
      - $repo:{{ .Run.ID }}
      - $repo:latest
    when: [test, scan]
`,
  'rich: templates everywhere': `version: v1.0.0
steps:
{{ range $i, $name := .Values.services }}
  - id: build-{{ $name }}
    build: -t {{ $.Run.Registry }}/{{ $name }}:{{ $.Run.ID }} {{ $name }}
{{ end }}
{{- if eq .Values.env "prod" }}
  - cmd: {{ .Run.Registry }}/deploy:{{ .Run.ID | upper | quote }} --target {{ default "prod" .Values.target }}
    timeout: {{ .Values.timeout }}
{{- else }}
  - cmd: alpine echo {{ printf "%s-%d" .Run.ID 3 }} {{/* comment */}}
{{- end }}
  - cmd: alpine echo {{ .Run.Date }} {{ .Run.OS }} {{ .Run.Architecture }} {{ .Run.Commit }} {{ .Run.Branch }}
`,
  'rich: flow style and anchors': `steps:
  - &base {id: one, cmd: "alpine echo 'a: b'", env: [A=1, B=2], timeout: 60}
  - {<<: *base, id: two, when: [one]}
  - id: three
    cmd: >-
      alpine sh -c
      "echo folded"
    when: ["-"]
    startDelay: 5
    repeat: 1
    exitedWith: [0, 1]
    exitedWithout: [2]
    user: root
    entryPoint: /bin/sh
    privileged: true
    pull: true
    isolation: default
    disableWorkingDirectoryOverride: false
`,
};

function yamlFilesUnder(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const name of names.sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...yamlFilesUnder(path));
    else if (/\.ya?ml$/.test(name)) files.push(path);
  }
  return files;
}

/** Fixture task files first (sorted, so the corpus order and thus the fuzz run are deterministic), then the built-in examples. */
export function loadSeedCorpus(): SeedDocument[] {
  const root = resolve(FIXTURES_DIR, '../..');
  const fixtures = yamlFilesUnder(FIXTURES_DIR).map((path) => ({
    name: relative(root, path),
    text: readFileSync(path, 'utf8'),
  }));
  const builtIn = Object.entries({ ...SPEC_EXAMPLES, ...RICH_EXAMPLES }).map(([name, text]) => ({ name, text }));
  return [...fixtures, ...builtIn];
}
