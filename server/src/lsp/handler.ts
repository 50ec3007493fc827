/**
 * Every LSP handler goes through this wrapper (STYLE "the server translates, never decides", after
 * compose-language-service's createLspHandler): a document we don't track or that is not a task file
 * yields the empty result, and an exception becomes a typed ResponseError that names the request
 * instead of killing the server or leaking a stack trace to the user.
 */
import { ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';

export type DocumentLookup = (uri: string) => TextDocument | undefined;

export function createLspHandler<P extends { textDocument: { uri: string } }, R>(
  connection: Connection,
  name: string,
  lookup: DocumentLookup,
  empty: R,
  handle: (document: TextDocument, params: P) => R,
): (params: P) => R | ResponseError<void> {
  return (params: P) => {
    const document = lookup(params.textDocument.uri);
    if (!document) return empty;
    try {
      return handle(document, params);
    } catch (error) {
      const message = errorText(error);
      connection.console.error(`${name} failed for ${params.textDocument.uri}: ${message}`);
      return new ResponseError(ErrorCodes.InternalError, `${name} failed: ${message}`);
    }
  };
}

/** An error's message for the user (never a stack trace). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The request's parameters are refused: the message is shown to the user as it is. */
export function userError(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

/** A custom request's work; an exception becomes a typed ResponseError instead of crashing the connection. */
export async function answerRequest<R>(work: () => Promise<R>): Promise<R | ResponseError<void>> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ResponseError) return error as ResponseError<void>;
    return new ResponseError(ErrorCodes.InternalError, errorText(error));
  }
}
