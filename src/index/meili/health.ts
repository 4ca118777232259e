/** HTTP probes of a Meilisearch server: /health and whether it accepts a key. */
import { errorText } from './util.js';

export type Health = { ok: true } | { ok: false; reason: string };

export async function checkHealth(url: string, timeoutMs: number): Promise<Health> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.json().catch(() => undefined)) as { status?: unknown } | undefined;
    if (!response.ok) return { ok: false, reason: `HTTP ${response.status}` };
    if (body?.status !== 'available') return { ok: false, reason: 'unexpected /health answer' };
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: fetchErrorText(error, timeoutMs) };
  }
}

/** Whether the server accepts this key (GET /version needs one once a master key is set). */
export async function acceptsKey(url: string, key: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/version`, {
      headers: { Authorization: `Bearer ${key}` },
      signal: AbortSignal.timeout(5_000),
    });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

function fetchErrorText(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${Math.round(timeoutMs / 100) / 10} s`;
  }
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
      return 'connection reset';
    default:
      return typeof cause?.message === 'string' ? cause.message : errorText(error);
  }
}
