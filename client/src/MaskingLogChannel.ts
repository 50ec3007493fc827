/**
 * The language client's trace channel, with secret values masked. Run requests carry the secrets a task
 * declares (from SecretStorage), and `acrTasks.trace.server: verbose` would otherwise print them with the
 * request's parameters. Every value handed to a run is registered here first; the trace shows `***` in
 * its place, in its plain and its JSON-escaped spelling.
 */
import type * as vscode from 'vscode';

export const MASK = '***';

export class SecretMask {
  private readonly values = new Set<string>();

  add(values: Iterable<string>): void {
    for (const value of values) {
      if (value === '') continue;
      this.values.add(value);
      this.values.add(JSON.stringify(value).slice(1, -1));
    }
  }

  apply(text: string): string {
    let masked = text;
    // Longest first, so a secret containing another is masked whole.
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) masked = masked.split(value).join(MASK);
    return masked;
  }
}

export class MaskingLogChannel implements vscode.LogOutputChannel {
  constructor(
    private readonly inner: vscode.LogOutputChannel,
    private readonly mask: SecretMask,
  ) {}

  get name(): string {
    return this.inner.name;
  }
  get logLevel(): vscode.LogLevel {
    return this.inner.logLevel;
  }
  get onDidChangeLogLevel(): vscode.Event<vscode.LogLevel> {
    return this.inner.onDidChangeLogLevel;
  }

  append(value: string): void {
    this.inner.append(this.mask.apply(value));
  }
  appendLine(value: string): void {
    this.inner.appendLine(this.mask.apply(value));
  }
  replace(value: string): void {
    this.inner.replace(this.mask.apply(value));
  }
  trace(message: string, ...args: unknown[]): void {
    this.inner.trace(this.mask.apply(message), ...this.maskArgs(args));
  }
  debug(message: string, ...args: unknown[]): void {
    this.inner.debug(this.mask.apply(message), ...this.maskArgs(args));
  }
  info(message: string, ...args: unknown[]): void {
    this.inner.info(this.mask.apply(message), ...this.maskArgs(args));
  }
  warn(message: string, ...args: unknown[]): void {
    this.inner.warn(this.mask.apply(message), ...this.maskArgs(args));
  }
  error(error: string | Error, ...args: unknown[]): void {
    this.inner.error(
      typeof error === 'string' ? this.mask.apply(error) : new Error(this.mask.apply(error.message)),
      ...this.maskArgs(args),
    );
  }
  clear(): void {
    this.inner.clear();
  }
  show(columnOrPreserveFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean): void {
    if (typeof columnOrPreserveFocus === 'boolean' || columnOrPreserveFocus === undefined)
      this.inner.show(columnOrPreserveFocus);
    else this.inner.show(columnOrPreserveFocus, preserveFocus);
  }
  hide(): void {
    this.inner.hide();
  }
  dispose(): void {
    this.inner.dispose();
  }

  /** Strings masked; other values too when their JSON holds a secret (then as masked JSON text). */
  private maskArgs(args: unknown[]): unknown[] {
    return args.map((arg) => {
      if (typeof arg === 'string') return this.mask.apply(arg);
      let json: string | undefined;
      try {
        json = JSON.stringify(arg);
      } catch {
        return arg;
      }
      if (json === undefined) return arg;
      const masked = this.mask.apply(json);
      return masked === json ? arg : masked;
    });
  }
}
