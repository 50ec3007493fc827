/** The human form of a dry-run plan: DAG levels, then each step with its resolved settings. */
import type { RunPlan, StepPlanView } from '../engine/run/planRun';

function stepLines(step: StepPlanView): string[] {
  const lines = [
    `Step ${step.id} (${step.kind}, level ${step.level}${step.dependsOn.length > 0 ? `, after ${step.dependsOn.join(', ')}` : ''})`,
  ];
  if (step.error) lines.push(`  error: ${step.error}`);
  for (const line of step.command.split('\n')) if (line !== '') lines.push(`  ${line}`);
  if (step.container) {
    const { container } = step;
    lines.push(`  image: ${container.image}`, `  args: ${JSON.stringify(container.args)}`);
    if (container.entrypoint) lines.push(`  entrypoint: ${JSON.stringify(container.entrypoint)}`);
    lines.push(`  working directory: ${container.workingDir ?? "(the image's WORKDIR)"}`);
    lines.push(
      `  network: ${container.network ?? '(Docker default bridge)'}${container.networkAliases.length > 0 ? ` as ${container.networkAliases.join(', ')}` : ''}`,
    );
    lines.push(`  env: ${container.env.join(' ')}`);
    lines.push(`  volumes: ${container.binds.join(' ')}`);
  }
  if (step.build) {
    const { build } = step;
    lines.push(`  context: ${build.contextDir}`, `  Dockerfile: ${build.dockerfile}`);
    if (build.tags.length > 0) lines.push(`  tags: ${build.tags.join(' ')}`);
    const args = Object.entries(build.buildArgs);
    if (args.length > 0) lines.push(`  build args: ${args.map(([key, value]) => `${key}=${value}`).join(' ')}`);
    if (build.target) lines.push(`  target: ${build.target}`);
  }
  return lines;
}

export function formatRunPlan(plan: RunPlan): string {
  const lines = [`Dry run ${plan.runId} (nothing is created; engine ${plan.engine})`];
  for (const error of plan.errors) lines.push(`error: ${error}`);
  for (const warning of plan.warnings) lines.push(`warning: ${warning}`);
  if (plan.levels.length > 0) {
    lines.push('', 'DAG levels:');
    plan.levels.forEach((ids, level) => lines.push(`  ${level}: ${ids.join(', ')}`));
  }
  for (const step of plan.steps) lines.push('', ...stepLines(step));
  lines.push(
    '',
    `Networks created: ${plan.networks.join(', ') || 'none'}`,
    `Volumes created: ${plan.volumes.join(', ')}`,
  );
  lines.push(
    `Run variables: ${Object.entries(plan.runVariables)
      .filter(([, value]) => value !== '')
      .map(([key, value]) => `${key}=${value}`)
      .join(' ')}`,
  );
  return `${lines.join('\n')}\n`;
}
