/**
 * Reading a build step's string (everything after `docker build`, spec §5.8).
 *
 * Two readings exist on purpose. acb's own (whitespace split, quotes kept, `-t x` but not `--tag=x`)
 * decides which tags and build args ACR records and scans (edge case 28). Docker's (shell words, every
 * flag form) decides what is actually built — in ACR the string goes through a shell into the docker
 * CLI, so the engine follows Docker's reading to build the same image.
 */
import { parse as parseShellWords } from 'shell-quote';

/** What acb extracts (§5.8 steps 1–2): used for dependency records and tag-based features. */
export interface AcbBuildReading {
  dockerfile?: string;
  target?: string;
  context: string;
  tags: string[];
  buildArgs: string[];
}

function trimQuotes(token: string): string {
  return token.replace(/^["']+|["']+$/g, '');
}

export function readBuildStringAsAcb(build: string): AcbBuildReading {
  const tokens = build.split(/\s+/).filter((token) => token !== '');
  const reading: AcbBuildReading = { context: '.', tags: [], buildArgs: [] };
  tokens.forEach((token, index) => {
    const next = tokens[index + 1];
    if ((token === '-f' || token === '--file') && next !== undefined) reading.dockerfile = trimQuotes(next);
    if (token === '--target' && next !== undefined) reading.target = trimQuotes(next);
    if ((token === '-t' || token === '--tag') && next !== undefined) reading.tags.push(next);
    if (token === '--build-arg' && next !== undefined) reading.buildArgs.push(next);
    const previous = tokens[index - 1];
    if (!token.startsWith('-') && (previous === undefined || !previous.startsWith('-'))) {
      reading.context = trimQuotes(token);
    }
  });
  return reading;
}

/** `docker build` flags that take a value (the rest are booleans). */
const VALUE_FLAGS = new Map<string, string>([
  ['-f', 'file'],
  ['--file', 'file'],
  ['-t', 'tag'],
  ['--tag', 'tag'],
  ['--build-arg', 'build-arg'],
  ['--target', 'target'],
  ['--platform', 'platform'],
  ['--label', 'label'],
  ['--network', 'network'],
  ['--add-host', 'add-host'],
  ['--cache-from', 'cache-from'],
  ['--iidfile', 'iidfile'],
  ['--isolation', 'isolation'],
  ['-m', 'memory'],
  ['--memory', 'memory'],
  ['--memory-swap', 'memory-swap'],
  ['--cpu-shares', 'cpu-shares'],
  ['-c', 'cpu-shares'],
  ['--cpu-period', 'cpu-period'],
  ['--cpu-quota', 'cpu-quota'],
  ['--cpuset-cpus', 'cpuset-cpus'],
  ['--cpuset-mems', 'cpuset-mems'],
  ['--shm-size', 'shm-size'],
  ['--ulimit', 'ulimit'],
  ['--cgroup-parent', 'cgroup-parent'],
  ['--security-opt', 'security-opt'],
  ['--secret', 'secret'],
  ['--ssh', 'ssh'],
  ['-o', 'output'],
  ['--output', 'output'],
  ['--progress', 'progress'],
]);

const BOOLEAN_FLAGS = new Map<string, string>([
  ['--no-cache', 'no-cache'],
  ['--pull', 'pull'],
  ['-q', 'quiet'],
  ['--quiet', 'quiet'],
  ['--rm', 'rm'],
  ['--force-rm', 'force-rm'],
  ['--compress', 'compress'],
  ['--squash', 'squash'],
  ['--disable-content-trust', 'disable-content-trust'],
  ['--load', 'load'],
]);

/** The build as Docker reads it. */
export interface DockerBuildCommand {
  context: string;
  dockerfile?: string;
  tags: string[];
  /** `--build-arg K=V`; `K` alone (value taken from the environment by the CLI) maps to undefined. */
  buildArgs: Map<string, string | undefined>;
  target?: string;
  platform?: string;
  labels: Map<string, string>;
  noCache: boolean;
  pull: boolean;
  /** Flags accepted by docker build that the engine does not apply (reported, not silently dropped). */
  unsupported: string[];
  /** Problems that make the string unusable. */
  errors: string[];
}

function splitKeyValue(text: string): [string, string | undefined] {
  const equals = text.indexOf('=');
  return equals < 0 ? [text, undefined] : [text.slice(0, equals), text.slice(equals + 1)];
}

/** Parses a build string with POSIX shell word rules, as the shell in front of ACR's docker CLI does. */
export function parseDockerBuildCommand(build: string): DockerBuildCommand {
  const command: DockerBuildCommand = {
    context: '',
    tags: [],
    buildArgs: new Map(),
    labels: new Map(),
    noCache: false,
    pull: false,
    unsupported: [],
    errors: [],
  };
  const words: string[] = [];
  for (const entry of parseShellWords(build, (name) => `$${name}`)) {
    if (typeof entry === 'string') words.push(entry);
    else
      command.errors.push(
        `shell syntax ${JSON.stringify('op' in entry ? entry.op : entry)} is not allowed in a build string`,
      );
  }
  const positionals: string[] = [];
  for (let index = 0; index < words.length; index++) {
    const word = words[index];
    if (!word.startsWith('-') || word === '-') {
      positionals.push(word);
      continue;
    }
    const [flag, inlineValue] = word.startsWith('--') ? splitKeyValue(word) : [word, undefined];
    const valueName = VALUE_FLAGS.get(flag);
    const booleanName = BOOLEAN_FLAGS.get(flag);
    if (valueName === undefined && booleanName === undefined) {
      command.errors.push(`unknown docker build flag ${flag}`);
      continue;
    }
    if (booleanName !== undefined) {
      const enabled = inlineValue === undefined || inlineValue === 'true';
      if (booleanName === 'no-cache') command.noCache = enabled;
      else if (booleanName === 'pull') command.pull = enabled;
      else if (!['rm', 'force-rm', 'quiet', 'load'].includes(booleanName)) command.unsupported.push(flag);
      continue;
    }
    const value = inlineValue ?? words[++index];
    if (value === undefined) {
      command.errors.push(`flag ${flag} needs a value`);
      continue;
    }
    switch (valueName) {
      case 'file':
        command.dockerfile = value;
        break;
      case 'tag':
        command.tags.push(value);
        break;
      case 'build-arg': {
        const [key, argValue] = splitKeyValue(value);
        command.buildArgs.set(key, argValue);
        break;
      }
      case 'target':
        command.target = value;
        break;
      case 'platform':
        command.platform = value;
        break;
      case 'label': {
        const [key, labelValue] = splitKeyValue(value);
        command.labels.set(key, labelValue ?? '');
        break;
      }
      default:
        command.unsupported.push(flag);
    }
  }
  if (positionals.length !== 1) {
    command.errors.push(
      positionals.length === 0
        ? 'the build string names no context (for example `.` at the end)'
        : `the build string has ${positionals.length} positional arguments (${positionals.join(', ')}); docker build takes exactly one context`,
    );
  }
  command.context = positionals[positionals.length - 1] ?? '.';
  return command;
}
