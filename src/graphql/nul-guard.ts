import type { NextFunction, Request, Response } from "express";
import { ErrorCode } from "../common/app-error";
import { containsNul } from "../common/text-safety";

/** The NUL character as sent (in a JSON value) or as written in a GraphQL string literal. */
const NUL_ESCAPE = /\\u0000|\\u\{0+\}/;

/** The name of the field whose text holds a NUL ("" when found outside a named field), or undefined. */
function fieldWithNul(value: unknown, key = "", depth = 0): string | undefined {
  if (typeof value === "string") return containsNul(value) ? key : undefined;
  if (depth > 64 || value === null || typeof value !== "object") return undefined;
  for (const [name, item] of Object.entries(value)) {
    const found = fieldWithNul(item, Array.isArray(value) ? key : name, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function requestFieldWithNul(body: unknown): string | undefined {
  for (const operation of Array.isArray(body) ? body : [body]) {
    const found = fieldWithNul(operation?.variables, "");
    if (found !== undefined) return found;
    if (typeof operation?.query === "string" && (operation.query.includes("\u0000") || NUL_ESCAPE.test(operation.query))) return "";
    if (fieldWithNul(operation) !== undefined) return "";
  }
  return undefined;
}

/**
 * PostgreSQL text cannot hold U+0000, so a value carrying one would fail deep inside a write.
 * No field of the API has a use for it: such a request is refused up front, whatever it asks.
 */
export function nulCharacterError(body: unknown): { errors: unknown[] } | undefined {
  const field = body ? requestFieldWithNul(body) : undefined;
  if (field === undefined) return undefined;
  return {
    errors: [
      {
        message: "Text may not contain the NUL character (U+0000)",
        extensions: { code: ErrorCode.BAD_USER_INPUT, ...(field ? { field } : {}) },
      },
    ],
  };
}

/**
 * A GET's operation, from its query string: `query` and `operationName` as text, `variables`
 * and `extensions` as the JSON they hold (a `\u0000` escape there is a NUL once parsed), and
 * any other parameter as text.
 */
function searchParamsAsBody(url: string): Record<string, unknown> | undefined {
  const start = url.indexOf("?");
  if (start === -1) return undefined;
  const body: Record<string, unknown> = {};
  let others = "";
  for (const [name, value] of new URLSearchParams(url.slice(start + 1))) {
    if (name === "variables" || name === "extensions") {
      try {
        body[name] = JSON.parse(value);
      } catch {
        body[name] = value;
      }
    } else if (name === "query" || name === "operationName") body[name] = value;
    else others += name + value;
  }
  if (containsNul(others)) body.others = others;
  return body;
}

/**
 * `nulCharacterError` as express middleware, for the requests graphql-http.ts leaves to express:
 * multipart uploads and compressed bodies (the body), and GET (the query string).
 */
export function rejectNulCharacters(req: Request, res: Response, next: NextFunction): void {
  const error = nulCharacterError(req.body) ?? nulCharacterError(searchParamsAsBody(req.originalUrl ?? req.url));
  if (error) {
    res.status(400).json(error);
    return;
  }
  next();
}
