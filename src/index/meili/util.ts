/** Small helpers shared by the Meilisearch launcher modules. */
import fs from 'node:fs';

/** The trimmed value, or undefined when missing or blank. */
export function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

export function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

export function isFile(file: string): boolean {
  return statOrUndefined(file)?.isFile() ?? false;
}

export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds since the file was last modified; 0 when it is gone. */
export function fileAgeMs(file: string): number {
  return Date.now() - (statOrUndefined(file)?.mtimeMs ?? Date.now());
}

/** The file's text, or undefined when it cannot be read. */
export function readTextOrUndefined(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export function removeFile(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // already gone
  }
}

/** An error as one line, for messages shown to the user. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message.replace(/\s+/g, ' ').trim();
  return String(error);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Blocking sleep, for the 'exit' handler where no timer runs any more. */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
