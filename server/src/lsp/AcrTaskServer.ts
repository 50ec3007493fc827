/**
 * LSP wiring: documents, settings, and one handler per feature, each delegating to the pure
 * language service. Task files are recognised by name (plus user globs) whatever their languageId.
 */
import { parseSafely } from '../task/yamlSafety';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import {
  CodeActionKind,
  type Connection,
  DidChangeConfigurationNotification,
  type InitializeParams,
  type InitializeResult,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { createLanguageService, type LanguageSettings, type TaskLanguageService } from '../language';
import {
  RENDER_PREVIEW_REQUEST,
  type RenderPreviewParams,
  type RenderPreviewResult,
  type ServerSettings,
} from '../protocol';
import { sampleRunVariables } from '../task/load';
import { FileHost } from './fileHost';
import { ValidationScheduler } from './ValidationScheduler';
import { createLspHandler } from './handler';
import { registerRunBridge } from './runBridge';
import { registerTriggerBridge, type TriggerBridge } from './triggerBridge';
import { isTaskFile, uriToPath } from './taskFiles';

const DEFAULT_SETTINGS: ServerSettings = { taskFileGlobs: [], valuesFile: '', imageAliases: {} };

export class AcrTaskServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly files: FileHost;
  private readonly service: TaskLanguageService;
  private settings: ServerSettings = DEFAULT_SETTINGS;
  private workspaceFolders: string[] = [];
  private canPullConfiguration = false;
  // 4 ms after an edit: long enough for a completion request written right behind the keystroke to
  // arrive first (it is then answered in a few ms), short against the validation of a large file.
  private readonly validation = new ValidationScheduler((uri) => this.validate(uri), 32, 4);
  private triggers: TriggerBridge | undefined;
  private readonly justOpened = new Set<string>();

  constructor(private readonly connection: Connection) {
    this.files = new FileHost((path) => this.openText(path));
    this.service = createLanguageService(
      { readFile: (path, uri) => this.files.readFile(path, uri) },
      {
        // The service degrades a bug to an empty result; the log is the only place it can show up.
        onInternalError: (feature, error) =>
          this.connection.console.error(
            `${feature} failed internally: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          ),
      },
    );
  }

  /** Registers every handler and starts listening. */
  listen(): void {
    const { connection } = this;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => {
      if (this.canPullConfiguration) {
        void connection.client.register(DidChangeConfigurationNotification.type, { section: 'acrTasks' });
      }
      void this.refreshSettings();
    });
    connection.onDidChangeConfiguration((change) => {
      if (!this.canPullConfiguration)
        this.settings = this.readSettings((change.settings as { acrTasks?: unknown })?.acrTasks);
      void this.refreshSettings();
    });
    // TextDocuments fires onDidChangeContent for an open too, right after onDidOpen: only the later
    // ones are edits (which a completion request may follow closely, see ValidationScheduler).
    this.documents.onDidOpen((event) => this.justOpened.add(event.document.uri));
    this.documents.onDidChangeContent((event) =>
      this.scheduleValidation(event.document, !this.justOpened.delete(event.document.uri)),
    );
    this.documents.onDidClose((event) => {
      this.service.forget(event.document.uri);
      // Clear problems of closed files so the Problems view does not keep stale entries.
      void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
    });
    this.registerFeatures();
    this.documents.listen(connection);
    connection.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.canPullConfiguration = Boolean(params.capabilities.workspace?.configuration);
    this.workspaceFolders = (params.workspaceFolders ?? []).map((folder) => URI.parse(folder.uri).fsPath);
    const options = params.initializationOptions as { settings?: unknown } | undefined;
    if (options?.settings) this.settings = this.readSettings(options.settings);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['.', '$', ' ', ':', '-', '|', '{'], resolveProvider: false },
        hoverProvider: true,
        documentSymbolProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'acr-tasks-local' },
    };
  }

  private registerFeatures(): void {
    const { connection, service } = this;
    const lookup = (uri: string) => {
      this.validation.noteRequest();
      return this.taskDocument(uri);
    };
    connection.onCompletion(
      createLspHandler(connection, 'completion', lookup, null, (document, params) =>
        service.complete(document, params.position, this.languageSettings(document.uri)),
      ),
    );
    connection.onHover(
      createLspHandler(connection, 'hover', lookup, null, (document, params) =>
        service.hover(document, params.position, this.languageSettings(document.uri)),
      ),
    );
    connection.onDocumentSymbol(
      createLspHandler(connection, 'documentSymbol', lookup, [], (document) => service.documentSymbols(document)),
    );
    connection.onDefinition(
      createLspHandler(connection, 'definition', lookup, [], (document, params) =>
        service.definition(document, params.position),
      ),
    );
    connection.onReferences(
      createLspHandler(connection, 'references', lookup, [], (document, params) =>
        service.references(document, params.position, params.context.includeDeclaration),
      ),
    );
    connection.onPrepareRename(
      createLspHandler(connection, 'prepareRename', lookup, null, (document, params) =>
        service.prepareRename(document, params.position),
      ),
    );
    connection.onRenameRequest(
      createLspHandler(connection, 'rename', lookup, null, (document, params) =>
        service.rename(document, params.position, params.newName),
      ),
    );
    connection.onCodeAction(
      createLspHandler(connection, 'codeAction', lookup, [], (document, params) =>
        service.codeActions(document, params.range, params.context.diagnostics),
      ),
    );
    connection.onRequest(
      RENDER_PREVIEW_REQUEST,
      createLspHandler<{ textDocument: { uri: string } } & RenderPreviewParams, RenderPreviewResult | null>(
        connection,
        'renderPreview',
        (uri) => this.documents.get(uri) ?? this.readDocumentFromDisk(uri),
        null,
        (document, params) => this.renderPreview(document, params),
      ),
    );
    const runs = registerRunBridge(connection, {
      readText: (path) => this.files.readFile(path, URI.file(path).toString()),
      valuesFileFor: (uri, explicit) => this.valuesFileFor(uri, explicit),
    });
    this.triggers = registerTriggerBridge(connection, this.documents, {
      workspaceFolders: () => this.workspaceFolders,
    });
    runs.addRunOwner(this.triggers);
  }

  /** Tracked documents that are task files (others get empty results). */
  private taskDocument(uri: string): TextDocument | undefined {
    return isTaskFile(uri, this.settings.taskFileGlobs) ? this.documents.get(uri) : undefined;
  }

  private readDocumentFromDisk(uri: string): TextDocument | undefined {
    const text = this.files.readFile(uriToPath(uri), uri);
    return text === undefined ? undefined : TextDocument.create(uri, 'yaml', 0, text);
  }

  private openText(path: string): string | undefined {
    const uri = URI.file(path).toString();
    return this.documents.get(uri)?.getText();
  }

  private scheduleValidation(document: TextDocument, edited = false): void {
    this.validation.schedule(document.uri, edited);
  }

  private validate(uri: string): void {
    const document = this.taskDocument(uri);
    if (!document) return;
    try {
      const diagnostics = this.service.validate(document, this.languageSettings(uri));
      void this.connection.sendDiagnostics({ uri, version: document.version, diagnostics });
    } catch (error) {
      this.connection.console.error(
        `validation failed for ${uri}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private revalidateAll(): void {
    for (const document of this.documents.all()) this.scheduleValidation(document);
  }

  private async refreshSettings(): Promise<void> {
    if (this.canPullConfiguration) {
      try {
        const [section] = (await this.connection.workspace.getConfiguration([{ section: 'acrTasks' }])) as unknown[];
        this.settings = this.readSettings(section);
      } catch {
        // A client that advertises configuration but fails to answer keeps the current settings.
      }
    }
    this.revalidateAll();
    void this.triggers?.settingsChanged();
  }

  private readSettings(raw: unknown): ServerSettings {
    const value = (raw ?? {}) as Partial<ServerSettings>;
    return {
      taskFileGlobs: Array.isArray(value.taskFileGlobs)
        ? value.taskFileGlobs.filter((glob) => typeof glob === 'string')
        : [],
      valuesFile: typeof value.valuesFile === 'string' ? value.valuesFile : '',
      imageAliases: typeof value.imageAliases === 'object' && value.imageAliases !== null ? value.imageAliases : {},
    };
  }

  /** The values file for a task file: the setting (workspace-relative), else `values.yaml` beside it. */
  private valuesFileFor(uri: string, explicit?: string): string | undefined {
    const taskPath = uriToPath(uri);
    const configured = explicit ?? this.settings.valuesFile;
    if (configured) {
      if (isAbsolute(configured)) return configured;
      if (explicit !== undefined) return resolve(dirname(taskPath), configured);
      const folder = this.workspaceFolders.find((candidate) => taskPath.startsWith(candidate)) ?? dirname(taskPath);
      return join(folder, configured);
    }
    const beside = join(dirname(taskPath), 'values.yaml');
    return existsSync(beside) || this.openText(beside) !== undefined ? beside : undefined;
  }

  private languageSettings(uri: string): LanguageSettings {
    const valuesFile = this.valuesFileFor(uri);
    return { valuesFile, imageAliases: this.settings.imageAliases };
  }

  private renderPreview(document: TextDocument, params: RenderPreviewParams): RenderPreviewResult {
    const valuesPath = this.valuesFileFor(document.uri, params.valuesFile);
    const valuesText = valuesPath ? this.files.readFile(valuesPath, document.uri) : undefined;
    const values = valuesText ? ((parseSafely(valuesText) as Record<string, unknown> | null) ?? {}) : undefined;
    const result = this.service.renderPreview(document, {
      values,
      set: params.set ?? [],
      // Unset run variables get realistic sample values: ACR always has a run id, and an empty one can
      // turn `app:$ID -f x` into a YAML mapping.
      run: sampleRunVariables(params.run ?? {}),
      imageAliases: this.settings.imageAliases,
    });
    return {
      rendered: result.rendered,
      problems: result.diagnostics.map((problem) => ({
        line: problem.range.start.line,
        character: problem.range.start.character,
        severity:
          problem.severity === 1
            ? 'error'
            : problem.severity === 2
              ? 'warning'
              : problem.severity === 3
                ? 'information'
                : 'hint',
        code: String(problem.code ?? ''),
        message: problem.message,
      })),
    };
  }
}
