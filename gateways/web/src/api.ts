// The page's HTTP calls: the gateway's REST API with the signed-in bearer token, errors as the
// catalogue's `{code, message}` so a panel can say exactly what went wrong.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The whole reply body (a refused order carries its order and pre-trade result beside the message). */
    readonly body?: unknown,
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const parsed = (await res.json().catch(() => undefined)) as unknown;
  if (!res.ok) {
    const err = (parsed ?? {}) as { code?: string; message?: string };
    const message = err.message ?? `${method} ${path}: ${res.status}`;
    throw new ApiError(res.status, err.code ?? String(res.status), message, parsed);
  }
  return parsed as T;
}

export const getJson = <T>(path: string, token: string | null): Promise<T> => call<T>('GET', path, token);
export const postJson = <T>(path: string, token: string | null, body: unknown): Promise<T> =>
  call<T>('POST', path, token, body);
export const putJson = <T>(path: string, token: string | null, body: unknown): Promise<T> =>
  call<T>('PUT', path, token, body);
export const deleteJson = <T>(path: string, token: string | null): Promise<T> => call<T>('DELETE', path, token);

/** `GET /v1/instruments`: what each instrument is (the grid's grouping reads kind, sector, currency, country). */
export interface InstrumentRef {
  id: string;
  kind: string;
  name?: string;
  currency: string;
  sector: string;
  country: string;
}
