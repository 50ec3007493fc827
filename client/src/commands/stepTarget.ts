/** The step a Run Step / Run to Here command is about: a Tasks view step, or CodeLens arguments. */
import * as vscode from 'vscode';
import { isTaskNode } from './targets';

export function stepTarget(argument: unknown, stepId: unknown): { uri: vscode.Uri; stepId: string } | undefined {
  if (isTaskNode(argument) && argument.kind === 'step') return { uri: argument.uri, stepId: argument.step.id };
  if (argument instanceof vscode.Uri && typeof stepId === 'string') return { uri: argument, stepId };
  return undefined;
}
