import type { GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { ArgumentValidationError } from "type-graphql";
import type { Logger } from "pino";
import { AppError, ErrorCode } from "../common/app-error";
import { isDatabaseUnavailable } from "../db/errors";
import { requestIdOf } from "./error-request-ids";
import { isQueryLimitRefusal } from "./query-limits.plugin";

// A document Apollo could not parse or validate keeps Apollo's own code, as Apollo's clients and
// tools expect; the query limits among them stay BAD_USER_INPUT (isQueryLimitRefusal).
const DOCUMENT_ERROR_CODES = new Set(["GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"]);

// Other errors Apollo raises for a malformed request: the caller's fault, so BAD_USER_INPUT.
const CALLER_ERROR_CODES = new Set([
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
]);

/** The input field a coercion or validation message names, e.g. `at "input.expiresInMinutes"`. */
function fieldFromMessage(message: string): string | undefined {
  const at = /at "([^"]+)"/.exec(message);
  if (at) return at[1].split(".").pop()!.replace(/\[\d+\]$/, "");
  const field = /Field "([^"]+)" of required type/.exec(message) ?? /Variable "\$([^"]+)"/.exec(message);
  return field?.[1];
}

/**
 * Coercion messages echo the rejected value, which may be a password: keep the reason, drop
 * the value.
 */
function withoutEchoedValue(message: string): string {
  const variable = /^Variable "(\$[^"]+)" got invalid value .*?(?: at "([^"]+)")?; (.*)$/s.exec(message);
  if (variable) {
    const [, name, at, reason] = variable;
    return `Variable "${name}" has an invalid value${at ? ` at "${at}"` : ""}: ${reason.replace(/:\s.*$/s, "")}`;
  }
  return message.replace(/(cannot represent [^:]*?): .*$/s, "$1");
}

/**
 * graphql-js names the fields, arguments, types and enum values that are near a wrong one
 * ('Did you mean "email"?', 'Did you mean the enum value "ADMIN"?', 'Did you mean to use an
 * inline fragment on "AuthPayload"?'): the schema, piece by piece, even with introspection off.
 */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

export function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, "");
}

export interface ErrorFormatterOptions {
  /** Drop "Did you mean ...?" from messages: where introspection is off, they would reveal the schema. */
  hideSuggestions: boolean;
}

/**
 * Maps every error to the contract's codes; unexpected ones are logged, with the request id the
 * X-Request-Id header showed (error-request-ids.ts), and never described.
 */
export function createErrorFormatter(logger: Logger, options: ErrorFormatterOptions = { hideSuggestions: false }) {
  const format = describeError(logger);
  if (!options.hideSuggestions) return format;
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const described = format(formatted, error);
    return { ...described, message: withoutSuggestions(described.message) };
  };
}

/** A class-validator error, as far as the message needs it: the first failing (nested) property. */
interface ValidationNode {
  property?: string;
  constraints?: Record<string, string>;
  children?: ValidationNode[];
}

function describeError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { locations: formatted.locations, path: formatted.path };

    if (original instanceof AppError) {
      return { ...base, message: original.message, extensions: { ...original.extensions, code: original.code } };
    }
    if (original instanceof ArgumentValidationError) {
      const first = original.extensions.validationErrors?.[0] as ValidationNode | undefined;
      let node = first;
      while (node && !node.constraints && node.children?.length) node = node.children[0];
      const field = node?.property ?? first?.property ?? "input";
      const reason = node?.constraints ? Object.values(node.constraints)[0] : "is not valid";
      return { ...base, message: `Invalid ${field}: ${reason}`, extensions: { code: ErrorCode.BAD_USER_INPUT, field } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === "string" && (CALLER_ERROR_CODES.has(code) || DOCUMENT_ERROR_CODES.has(code))) {
      const field = fieldFromMessage(formatted.message);
      const kept = DOCUMENT_ERROR_CODES.has(code) && !isQueryLimitRefusal(error) ? code : ErrorCode.BAD_USER_INPUT;
      return {
        ...base,
        message: withoutEchoedValue(formatted.message),
        extensions: { code: kept, ...(field ? { field } : {}) },
      };
    }
    if (isDatabaseUnavailable(original)) {
      logger.warn({ err: original, reqId: requestIdOf(error) }, "database unavailable");
      return { ...base, message: "The service is temporarily unavailable; retry later", extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } };
    }
    logger.error({ err: original, path: formatted.path, reqId: requestIdOf(error) }, "unexpected error");
    return { ...base, message: "Internal server error", extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  };
}
