import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ChronikError } from '../errors.js';
import { configSchema, type Config } from './schema.js';

export const DEFAULT_CONFIG_FILE = 'chronik.yaml';

/**
 * Reads a YAML config file, applies environment overrides and validates it.
 * Relative paths in the file are resolved against the file's folder, so a config works
 * from any working directory.
 */
export async function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ChronikError('CONFIG_NOT_FOUND', `${file}: cannot read config file (${(error as Error).message})`, {
      cause: error,
    });
  }
  return parseConfig(text, file, env);
}

/** Validates config text; `file` names the source in error messages and anchors relative paths. */
export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): Config {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    const first = document.errors[0]!;
    const line = first.linePos?.[0].line;
    throw new ChronikError(
      'CONFIG_INVALID',
      `${file}${line ? `:${line}` : ''}: not valid YAML: ${first.message.split('\n')[0]}`,
    );
  }
  const raw: unknown = document.toJS() ?? {};
  return validateConfig(raw, file, env);
}

export function validateConfig(raw: unknown, file: string, env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new ChronikError('CONFIG_INVALID', `${file}: ${formatIssues(result.error.issues)}`, {
      details: { issues: result.error.issues },
    });
  }
  return resolvePaths(applyEnvironment(result.data, env), path.dirname(path.resolve(file)));
}

/** "sources[2].url: expected an http(s) URL" — one line per problem, joined by "; ". */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const where = issue.path.reduce<string>(
        (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
        '',
      );
      return `${where || '(top level)'}: ${issue.message}`;
    })
    .join('; ');
}

function applyEnvironment(config: Config, env: NodeJS.ProcessEnv): Config {
  const meiliUrl = env.MEILI_URL?.trim() || config.index.meiliUrl;
  const masterKey = env.MEILI_MASTER_KEY ?? config.index.masterKey;
  return { ...config, index: { ...config.index, meiliUrl, masterKey } };
}

function resolvePaths(config: Config, baseDir: string): Config {
  return {
    ...config,
    archive: { ...config.archive, dir: path.resolve(baseDir, config.archive.dir) },
    index: { ...config.index, dataDir: path.resolve(baseDir, config.index.dataDir) },
    state: { dir: path.resolve(baseDir, config.state.dir) },
    extract: { ...config.extract, profilesDir: config.extract.profilesDir && path.resolve(baseDir, config.extract.profilesDir) },
  };
}
