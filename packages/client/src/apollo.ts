// The Apollo Link lives in its own entry point, so apps without @apollo/client can use the rest.
export { createLatchkeyLink } from "./latchkey-link.ts";
export { possibleTypes } from "./possible-types.ts";
