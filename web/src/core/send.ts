// The one way the web client writes: JSON in, the server's answer out as a typed result. Request and response bodies
// are the types generated from the server's OpenAPI document (http.generated.ts, made by `npm run gen`), so a renamed
// field breaks the build rather than the page.
//
// Forgery protection: the server refuses a write whose Origin is not its own. Browsers send Origin on every
// same-origin POST, PUT and PATCH made with fetch, and the session cookie goes with `credentials: 'same-origin'`, so
// nothing more (no token, no extra header) is needed here.
import type { paths } from './http.generated';

export type WriteMethod = 'post' | 'put' | 'patch' | 'delete';

type Operation<P extends keyof paths, M extends WriteMethod> = NonNullable<paths[P][M]>;

/** The paths that accept method M. */
export type WritePath<M extends WriteMethod> = {
  [P in keyof paths]: paths[P][M] extends { responses: unknown } ? P : never;
}[keyof paths];

/** The JSON request body of an operation (undefined when it takes none); a file (Blob) where it takes XML. */
export type RequestBody<P extends keyof paths, M extends WriteMethod> =
  Operation<P, M> extends { requestBody: { content: { 'application/json': infer B } } }
    ? B
    : Operation<P, M> extends { requestBody?: { content: { 'application/json': infer B } } }
      ? B | undefined
      : Operation<P, M> extends { requestBody: { content: { 'application/xml': unknown } } }
        ? Blob
        : undefined;

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : undefined;

/** The body of an operation's 200 or 201 answer. */
export type ResponseBody<P extends keyof paths, M extends WriteMethod> =
  Operation<P, M> extends { responses: infer R }
    ? R extends { 200: infer Ok }
      ? JsonOf<Ok>
      : R extends { 201: infer Created }
        ? JsonOf<Created>
        : undefined
    : never;

/** `{districtId}` in a path template becomes a required `districtId` parameter. */
export type PathParams<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? { [K in Name]: string | number } & PathParams<Rest>
  : unknown;

/** Why a write did not happen, in the terms a form shows. */
export type SendFailureKind =
  /** 400: the server named what is wrong, field by field where it could. */
  | 'invalid'
  /** 401: the sign-in has lapsed; sign in again (what was typed stays on the page). */
  | 'signed_out'
  /** 403: this account may not do this. */
  | 'forbidden'
  /** 404: what was acted on no longer exists. */
  | 'not_found'
  /** 409: someone else changed it first. */
  | 'conflict'
  /** 429: too many writes; try again after `retryAfterSeconds`. */
  | 'rate_limited'
  /** The server could not be reached, or the answer was lost on the way. */
  | 'network'
  /** Any other answer (5xx): the change may or may not have been made. */
  | 'server';

export interface SendFailure {
  ok: false;
  kind: SendFailureKind;
  /** The HTTP status; 0 for a network failure. */
  status: number;
  /** The problem's title and detail (RFC 9457), when the server sent one. */
  title?: string;
  detail?: string;
  /** Messages by field name, as the server names fields (camelCase: `decidedBy`, `reason`). */
  fields: Record<string, string[]>;
  retryAfterSeconds?: number;
}

export interface SendSuccess<T> {
  ok: true;
  status: number;
  value: T;
}

export type SendResult<T> = SendSuccess<T> | SendFailure;

const kindByStatus: Record<number, SendFailureKind> = {
  400: 'invalid',
  401: 'signed_out',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  422: 'invalid',
  429: 'rate_limited',
};

function fillPath(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${template}: no value for {${name}}`);
    return encodeURIComponent(String(value));
  });
}

interface Problem {
  title?: unknown;
  detail?: unknown;
  errors?: Record<string, unknown>;
}

async function readProblem(response: Response): Promise<Problem> {
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) return {};
  try {
    return ((await response.json()) as Problem | null) ?? {};
  } catch {
    return {};
  }
}

function fieldMessages(errors: Problem['errors']): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const [name, messages] of Object.entries(errors ?? {})) {
    const list = (Array.isArray(messages) ? messages : [messages]).filter((m): m is string => typeof m === 'string');
    if (list.length > 0) fields[name] = list;
  }
  return fields;
}

function retryAfter(response: Response): number | undefined {
  const value = response.headers.get('Retry-After');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/**
 * Sends one write and says how it went. Never throws for an HTTP or network failure: the caller shows the result
 * and keeps what was typed. A 2xx is the only "done".
 */
export async function send<M extends WriteMethod, P extends WritePath<M>>(
  method: M,
  path: P,
  params: PathParams<P>,
  body: RequestBody<P, M>,
): Promise<SendResult<ResponseBody<P, M>>> {
  const url = fillPath(path, params as Record<string, string | number>);
  // A file (a JMA telegram) goes as it is, as XML; everything else as JSON.
  const file = body instanceof Blob;
  let response: Response;
  try {
    response = await fetch(url, {
      method: method.toUpperCase(),
      credentials: 'same-origin',
      headers: { Accept: 'application/json, application/problem+json', 'Content-Type': file ? 'application/xml' : 'application/json' },
      body: body === undefined ? undefined : file ? body : JSON.stringify(body),
    });
  } catch (error) {
    return { ok: false, kind: 'network', status: 0, detail: error instanceof Error ? error.message : String(error), fields: {} };
  }

  if (response.ok) {
    let value: unknown = undefined;
    if (response.status !== 204 && (response.headers.get('Content-Type') ?? '').includes('json')) {
      try {
        value = await response.json();
      } catch (error) {
        // The change was made; only its echo was lost. Say so rather than claim a failure.
        console.warn(`${method.toUpperCase()} ${url}: the answer could not be read`, error);
      }
    }
    return { ok: true, status: response.status, value: value as ResponseBody<P, M> };
  }

  const problem = await readProblem(response);
  return {
    ok: false,
    kind: kindByStatus[response.status] ?? 'server',
    status: response.status,
    title: typeof problem.title === 'string' ? problem.title : undefined,
    detail: typeof problem.detail === 'string' ? problem.detail : undefined,
    fields: fieldMessages(problem.errors),
    retryAfterSeconds: response.status === 429 ? retryAfter(response) : undefined,
  };
}
