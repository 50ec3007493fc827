/**
 * Task secrets live in VS Code's SecretStorage (the OS keychain on desktop), never in settings, and are
 * handed to the server only inside a run request (never in argv, logs or run records; the engine masks
 * them everywhere). Ids are the task's `secrets[].id`; the names of stored ids are kept in global state
 * so the UI can list them without reading any value.
 */
import * as vscode from 'vscode';
import type { SecretMask } from './MaskingLogChannel';

const KEY_PREFIX = 'acrTasks.secret.';
const IDS_KEY = 'acrTasks.secretIds';

export class SecretVault {
  constructor(
    private readonly context: vscode.ExtensionContext,
    /** Values handed to runs are registered here so the LSP trace masks them. */
    private readonly mask: SecretMask,
  ) {}

  /** Stored secret ids, sorted. */
  ids(): string[] {
    return [...(this.context.globalState.get<string[]>(IDS_KEY) ?? [])].sort();
  }

  get(id: string): Thenable<string | undefined> {
    return this.context.secrets.get(KEY_PREFIX + id);
  }

  async set(id: string, value: string): Promise<void> {
    await this.context.secrets.store(KEY_PREFIX + id, value);
    const ids = new Set(this.ids());
    ids.add(id);
    await this.context.globalState.update(IDS_KEY, [...ids]);
  }

  async delete(id: string): Promise<void> {
    await this.context.secrets.delete(KEY_PREFIX + id);
    await this.context.globalState.update(
      IDS_KEY,
      this.ids().filter((stored) => stored !== id),
    );
  }

  /**
   * Values for the secrets a task declares: stored ones, and for missing ones the user is asked (and may
   * keep the answer). A secret left empty is not sent; the run then reports it as unresolved.
   */
  async valuesFor(declared: readonly string[], interactive: boolean): Promise<Record<string, string>> {
    const values: Record<string, string> = {};
    for (const id of declared) {
      let value = await this.get(id);
      if (value === undefined && interactive) value = await this.ask(id);
      if (value !== undefined && value !== '') values[id] = value;
    }
    this.mask.add(Object.values(values));
    return values;
  }

  /** Prompts for a secret value; offers to keep it in secret storage. */
  async ask(id: string): Promise<string | undefined> {
    const value = await vscode.window.showInputBox({
      title: `Secret "${id}"`,
      prompt: `The task declares the secret "${id}". Its value is passed to this run only and masked in all output.`,
      password: true,
      ignoreFocusOut: true,
    });
    if (value === undefined || value === '') return undefined;
    // A quick pick, not a notification: a toast left unanswered would hold the run forever.
    const keep = 'Keep in Secret Storage';
    const choice = await vscode.window.showQuickPick([keep, 'Use for This Run Only'], {
      title: `Keep the secret "${id}" for later runs?`,
    });
    if (choice === keep) await this.set(id, value);
    return value;
  }
}
