// The one place where an error's kind becomes an HTTP status (as src/cli/exitCodes.ts is for exit codes), and
// errors become RFC 9457 problem details (application/problem+json): a type, a title, the status, a detail
// written for the caller, the request id — never a stack trace, never an identifier value.
import type { ErrorKind } from '../core/errors.js';

export const HTTP_STATUS: Readonly<Record<ErrorKind, number>> = {
  usage: 400,
  /** The request was understood but what it names cannot be used (a corrupt upload, a period not processed). */
  input: 422,
  /** The work ran and its verdict is negative (a release check failed). */
  negative: 409,
  busy: 503,
  unauthenticated: 401,
  forbidden: 403,
  notFound: 404,
  internal: 500,
};

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Unauthorised',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Content too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
}

/** A problem document for a status; `about:blank` types, as RFC 9457 allows when the status says it all. */
export function problem(status: number, detail: string, instance: string, requestId: string): Problem {
  return { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail, instance, requestId };
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
