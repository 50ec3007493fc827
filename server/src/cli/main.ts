/**
 * Entry point of dist/cli.js: the engine and the language core, headless, for CI parity.
 * Bad input prints one clear line with a location; never a stack trace.
 */
import { buildCommand } from './buildCommand';
import { type CliIo, UsageError } from './cliIo';
import { renderCommand } from './renderCommand';
import { runCommand } from './runCommand';
import { runsCommand } from './runsCommand';
import { taskCommand } from './taskCommand';
import { watchCommand } from './watchCommand';
import { validateCommand } from './validateCommand';

const USAGE = `usage: acr-tasks <command> [options]

commands:
  validate FILE [--values F] [--set K=V]... [--json]      check a task file (exit 1 on errors)
  render FILE [--values F] [--set K=V]... [--id ID] [--registry R]
                                                          print the task as ACR would run it
  run FILE [CONTEXT] [--values F] [--set K=V]... [--secret ID[=V]]... [--secret-env-file F]
      [--registry R] [--id ID] [--dry-run] [--json] [--engine HOST] [--timeout S]
                                                          run the task on a Docker engine (exit 0 only on success)
  build [CONTEXT] [-t IMAGE]... [-f DOCKERFILE] [--build-arg K[=V]]... [--secret-build-arg K[=V]]...
      [--target T] [--platform P] [--no-cache] [--no-push] [--registry R] [--id ID] [--list-context]
      [--json] [--engine HOST] [--timeout S]              quick build and push, like az acr build
  task create|update|delete|list|run [--name N] …         task definitions in ./.acr-tasks.yaml, like az acr task
  runs list [--task N] [--json] | runs logs ID | runs prune
                                                          run history, masked logs, retention (30 days)
  watch [--poll SECONDS] [--on-stop finish|cancel] [--logs]
                                                          run base-image, commit and timer triggers until Ctrl+C
`;

type Command = (argv: string[], io: CliIo) => number | Promise<number>;

const COMMANDS: Record<string, Command> = {
  validate: validateCommand,
  render: renderCommand,
  run: (argv, io) => runCommand(argv, io),
  build: (argv, io) => buildCommand(argv, io),
  task: (argv, io) => taskCommand(argv, io),
  runs: (argv, io) => runsCommand(argv, io),
  watch: (argv, io) => watchCommand(argv, io),
};

/** Commands that handle a second Ctrl+C themselves (`watch` cancels the runs it was letting finish). */
const TWO_STAGE_STOP = new Set(['watch']);

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`unknown command '${name}'\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`error: ${(error as Error).message}\n`);
      return 2;
    }
    io.stderr.write(`internal error: ${(error as Error).message ?? String(error)}\n`);
    return 3;
  }
}

if (require.main === module) {
  const controller = new AbortController();
  const second = new AbortController();
  const twoStage = TWO_STAGE_STOP.has(process.argv[2] ?? '');
  // After the cancelling Ctrl+C(s), one more only warns: quitting mid-cleanup would leak the run's
  // containers, networks and volumes. The one after that quits anyway.
  let warned = false;
  process.on('SIGINT', () => {
    if (!controller.signal.aborted) controller.abort();
    else if (twoStage && !second.signal.aborted) second.abort();
    else if (!warned) {
      warned = true;
      process.stderr.write('Cleaning up what the run created; press Ctrl+C again to quit without cleaning up.\n');
    } else process.exit(130);
  });
  void main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
    signal: controller.signal,
    interrupted: second.signal,
  }).then((code) => {
    process.exitCode = code;
  });
}
