import { type DialectAnswer, type ErrorDialect } from '../errors/error-dialect';
import { type Problem } from '../errors/problem.schema';
import { type z } from 'zod';
import { type feastErrorDetailSchema } from './feast.schema';

/** The path of Feast's feature server read that this app imitates. */
export const FEAST_ONLINE_FEATURES_PATH = '/get-online-features';

/** Feast's error document: `{"module", "class", "message"}`. */
export type FeastErrorDetail = z.output<typeof feastErrorDetailSchema>;

/** The module of errors Feast itself has no class for. Feast's client rebuilds only `feast.*` errors; it reports others with the answer's text. */
const OWN_MODULE = 'bnpl.featurestore.errors';

/**
 * Errors Feast has a class for, answered as Feast's server answers them, so that a Feast client raises the
 * same exception it would against Feast. An unknown feature of a known view is a 404 here (Feast lets a
 * KeyError become a 500: bad input is never a 5xx here).
 */
const FEAST_ERRORS: Readonly<Record<string, { readonly status: number; readonly class: string }>> = {
  UNKNOWN_FEATURE_VIEW: { status: 404, class: 'FeatureViewNotFoundException' },
  UNKNOWN_FEATURE_SERVICE: { status: 404, class: 'FeatureServiceNotFoundException' },
  UNKNOWN_FEATURE: { status: 404, class: 'FeastObjectNotFoundException' },
  FEATURE_NAME_COLLISION: { status: 422, class: 'FeatureNameCollisionError' },
};

/** `INVALID_REQUEST_BODY` -> `InvalidRequestBodyError`. */
function className(reason: string): string {
  const words = reason.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  return `${words.map((w) => w[0].toUpperCase() + w.slice(1)).join('')}Error`;
}

/**
 * A problem (as ProblemJsonFilter computed it) -> Feast's status and error document. Any other client
 * error of the request (400) is Feast's 422, its status for a request it cannot process; other statuses
 * (413, 415, 5xx) stay as they are, the message the problem's detail (already without internals for 5xx).
 */
export function toFeastError(problem: Problem): { status: number; detail: FeastErrorDetail } {
  const known = FEAST_ERRORS[problem.reason];
  if (known) return { status: known.status, detail: { module: 'feast.errors', class: known.class, message: problem.detail } };
  const status = problem.status === 400 ? 422 : problem.status;
  return { status, detail: { module: OWN_MODULE, class: className(problem.reason), message: problem.detail } };
}

/** A string as Python's `json.dumps` writes it (ASCII only: anything outside space..tilde escaped as \uXXXX). */
function pythonJsonString(text: string): string {
  return JSON.stringify(text).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `FeastError.to_error_detail()`: `json.dumps` of the document, so `", "` and `": "` separators, ASCII only. */
export function feastErrorDocument(detail: FeastErrorDetail): string {
  return `{${(['module', 'class', 'message'] as const).map((key) => `${pythonJsonString(key)}: ${pythonJsonString(detail[key])}`).join(', ')}}`;
}

/**
 * The body Feast's server sends for an error: FastAPI's JSONResponse of `to_error_detail()`, which is
 * already a JSON string, so the document is encoded as JSON once more. Feast's client decodes both layers.
 */
export function feastErrorJson(detail: FeastErrorDetail): string {
  return JSON.stringify(feastErrorDocument(detail));
}

/** Errors of `POST /get-online-features` in Feast's format. */
export const feastErrorDialect: ErrorDialect = {
  handles: (path) => path === FEAST_ONLINE_FEATURES_PATH,
  render(problem: Problem): DialectAnswer {
    const { status, detail } = toFeastError(problem);
    return { status, contentType: 'application/json', body: feastErrorJson(detail) };
  },
};
