import generated from "./generated/possible-types.ts";

/**
 * The schema's unions and interfaces for `new InMemoryCache({ possibleTypes })`, so Apollo can
 * match fragments such as `... on TwoFactorChallenge` on a LoginResult.
 */
export const possibleTypes: Record<string, string[]> = generated.possibleTypes;
