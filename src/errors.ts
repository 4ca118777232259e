/**
 * Expected failures. A ChronikError carries a stable code, a one-line message meant for the
 * user, and what the caller should do next. The CLI prints `userMessage` and exits with the
 * code's status; a stack trace is shown only with --debug.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'MEILI_BINARY_MISSING'
  | 'MEILI_START_FAILED'
  | 'MEILI_UNREACHABLE'
  | 'MEILI_TASK_FAILED'
  | 'MEILI_DATA_DIR_BUSY'
  | 'FETCH_FAILED'
  | 'FETCH_TIMEOUT'
  | 'HTTP_STATUS'
  | 'NOT_HTML'
  | 'BODY_TOO_LARGE'
  | 'URL_REFUSED'
  | 'PORT_IN_USE'
  | 'ARCHIVE_FAILED'
  | 'NO_SOURCE_REACHABLE'
  | 'USAGE';

/** What the caller should do when this error happens. */
export type ErrorAction = 'retry-later' | 'skip-url' | 'stop-run';

export class ChronikError extends Error {
  readonly code: ErrorCode;
  readonly action: ErrorAction;
  readonly userMessage: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    userMessage: string,
    options: { action?: ErrorAction; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(userMessage, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ChronikError';
    this.code = code;
    this.userMessage = userMessage;
    this.action = options.action ?? 'stop-run';
    this.details = options.details;
  }
}

export function isChronikError(error: unknown): error is ChronikError {
  return error instanceof ChronikError;
}

/** A short, single-line description of any thrown value, for logs and summaries. */
export function describeError(error: unknown): string {
  if (error instanceof ChronikError) return error.userMessage;
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const causeText = cause instanceof Error ? `: ${cause.message}` : '';
    return `${error.message}${causeText}`.replace(/\s+/g, ' ').trim();
  }
  return String(error);
}
