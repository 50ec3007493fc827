/**
 * The ACR task model (spec §2–§4), after YAML decoding and with ACR's defaults applied.
 *
 * Every node keeps the source spans it came from, so the language service can put diagnostics,
 * hovers and code actions at exact positions. Spans are offsets into the text that was parsed
 * (for the editor that is the masked original text, so offsets equal the user's text).
 */

/** Half-open offset range [start, end) into the parsed text. */
export interface Span {
  start: number;
  end: number;
}

/** Where a mapping entry was written: its key, its value, and whether the value held a `{{ }}` template. */
export interface EntrySpans {
  key: Span;
  value: Span;
  /** The value contained template text; its type could not be checked before rendering. */
  templated: boolean;
}

export type StepKind = 'cmd' | 'build' | 'push';

export const DEFAULT_STEP_TIMEOUT_SECONDS = 600;
export const DEFAULT_RETRY_DELAY_SECONDS = 5;
export const DEFAULT_NETWORK_NAME = 'acb_default_network';
export const ROOT_STEP_ID = 'acb_root';
export const IMMEDIATE_WHEN = '-';
export const WORKSPACE_DIR = '/workspace';
export const HOME_DIR = '/acb/home';
export const SUPPORTED_VERSIONS = ['1.0-preview-1', 'v1.0.0', 'v1.1.0'] as const;
export const DEFAULT_VERSION = 'v1.0.0';

export interface VolumeMount {
  name: string;
  mountPath: string;
  span: Span;
}

export interface Step {
  /** 0-based position in `steps`. */
  index: number;
  /** Explicit `id`, or ACR's automatic `acb_step_<index>`. */
  id: string;
  idExplicit: boolean;
  /** undefined when the step has none or more than one of cmd/build/push (a diagnostic says which). */
  kind: StepKind | undefined;
  cmd?: string;
  build?: string;
  push?: string[];
  /** `when` as written (after rendering); [] when absent or empty, which means "after the previous step". */
  when: string[];
  /** Seconds; ACR default applied (`<= 0` → task stepTimeout). */
  timeout: number;
  startDelay: number;
  retries: number;
  /** Seconds; `<= 0` → 5 (the engine's default, not the docs'). */
  retryDelay: number;
  repeat: number;
  retryOnErrors: string[];
  ignoreErrors: boolean;
  detach: boolean;
  keep: boolean;
  privileged: boolean;
  user?: string;
  network?: string;
  isolation?: string;
  entryPoint?: string;
  /** Step env as written (entries kept verbatim). See `mergeStepEnv` for what Docker receives. */
  env: string[];
  ports: string[];
  expose: string[];
  workingDirectory?: string;
  disableWorkingDirectoryOverride: boolean;
  pull: boolean;
  cmdDownloadRetries: number;
  cmdDownloadRetryDelay: number;
  cache?: string;
  volumeMounts: VolumeMount[];
  cpus?: string;
  /** Undocumented `tags:` override of the tags parsed from `build` (spec §2, edge case 50). */
  tags?: string[];
  /** Span of the whole step mapping, and of each key written in it. */
  span: Span;
  entries: Map<string, EntrySpans>;
}

export interface SecretDef {
  id: string;
  keyvault?: string;
  clientID?: string;
  span: Span;
  entries: Map<string, EntrySpans>;
}

export interface NetworkDef {
  name: string;
  driver?: string;
  ipv6: boolean;
  skipCreation: boolean;
  isDefault: boolean;
  span: Span;
  entries: Map<string, EntrySpans>;
}

export interface VolumeDef {
  name: string;
  /** File name → Base64 content (ACR's only supported source). */
  secret: Record<string, string>;
  span: Span;
  entries: Map<string, EntrySpans>;
}

export interface Task {
  /** Decoded `version` (may differ from the sniffed one that gates aliases). */
  version: string;
  /** Seconds; `<= 0` → 600. */
  stepTimeout: number;
  workingDirectory?: string;
  env: string[];
  secrets: SecretDef[];
  networks: NetworkDef[];
  volumes: VolumeDef[];
  steps: Step[];
  /** Undocumented `isbuildtask: true` suppresses the default network. */
  isBuildTask: boolean;
  /** Top-level keys as written. */
  entries: Map<string, EntrySpans>;
}

/** Run variables (spec §6.2); all strings, empty when unknown. */
export interface RunVariables {
  ID: string;
  SharedVolume: string;
  Registry: string;
  RegistryName: string;
  Date: string;
  OS: string;
  OSVersion: string;
  Architecture: string;
  Commit: string;
  Branch: string;
  GitTag: string;
  Repository: string;
  TriggeredBy: string;
  TaskName: string;
}

export const RUN_VARIABLE_NAMES: readonly (keyof RunVariables)[] = [
  'ID',
  'SharedVolume',
  'Registry',
  'RegistryName',
  'Date',
  'OS',
  'OSVersion',
  'Architecture',
  'Commit',
  'Branch',
  'GitTag',
  'Repository',
  'TriggeredBy',
  'TaskName',
];

/** Empty run variables, as `acb render` sees them without flags. */
export function emptyRunVariables(): RunVariables {
  return {
    ID: '',
    SharedVolume: '',
    Registry: '',
    RegistryName: '',
    Date: '',
    OS: '',
    OSVersion: '',
    Architecture: '',
    Commit: '',
    Branch: '',
    GitTag: '',
    Repository: '',
    TriggeredBy: '',
    TaskName: '',
  };
}
