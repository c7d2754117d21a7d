import { createAuthStore, type AuthMode, type AuthStore, type BearerTokens } from "./auth-store.ts";
import { createRefresher, type Refresher } from "./refresh.ts";
import { sendOperation, type FetchFunction, type GraphQLResult, type TransportOptions } from "./transport.ts";
import {
  LoginDocument,
  LogoutDocument,
  RegisterAndSignInDocument,
  VerifyTwoFactorLoginDocument,
  type LoginInput,
  type LoginMutation,
  type RegisterInput,
  type TwoFactorLoginInput,
  type VerifyTwoFactorLoginMutation,
} from "./generated/operations.ts";

export interface LatchkeyClientOptions {
  /** The GraphQL endpoint, e.g. "/graphql". */
  url: string;
  /** "cookie" for browser apps on the API's site (httpOnly cookies); "bearer" keeps tokens in memory. */
  mode: AuthMode;
  /** The fetch to send with (default: the global one). */
  fetch?: FetchFunction;
  /** Bearer mode: tokens from an earlier sign-in. Cookie mode: whether the page starts signed in. */
  initialTokens?: BearerTokens;
  initiallySignedIn?: boolean;
}

export type SignInOutcome =
  | { status: "signedIn"; userId: string }
  | { status: "twoFactorRequired"; challengeToken: string; methods: readonly string[]; expiresAt: string }
  | { status: "failed"; errors: NonNullable<GraphQLResult<unknown>["errors"]> };

export interface LatchkeyClient {
  readonly store: AuthStore;
  readonly transport: TransportOptions;
  /** Single-flight session refresh (see Refresher); false when it could not. */
  readonly refresher: Refresher;
  /** The first sign-in step: signed in, or a two-factor challenge (also a twoFactorRequired event). */
  signIn(input: Omit<LoginInput, "cookie">): Promise<SignInOutcome>;
  /** Creates an account and signs it in at once (register with signIn: true); a new account has no second factor. */
  signUp(input: Omit<RegisterInput, "cookie" | "signIn">): Promise<SignInOutcome>;
  /** The second step, with the challenge and a code. */
  verifyTwoFactor(input: TwoFactorLoginInput): Promise<SignInOutcome>;
  /** Ends the session on the server (best effort) and forgets it here. */
  signOut(): Promise<void>;
}

function tokensOf(payload: { accessToken?: string | null; refreshToken?: string | null }): BearerTokens | undefined {
  return payload.accessToken && payload.refreshToken ? { accessToken: payload.accessToken, refreshToken: payload.refreshToken } : undefined;
}

/** Auth state plus the sign-in, refresh and sign-out flows, for one API endpoint. */
export function createLatchkeyClient(options: LatchkeyClientOptions): LatchkeyClient {
  const transport: TransportOptions = { url: options.url, mode: options.mode, fetch: options.fetch };
  const store = createAuthStore({ mode: options.mode, initialTokens: options.initialTokens, initiallySignedIn: options.initiallySignedIn });
  const refresher = createRefresher(transport, store);
  const cookie = options.mode === "cookie";

  function signedIn(payload: NonNullable<VerifyTwoFactorLoginMutation["verifyTwoFactorLogin"]>): SignInOutcome {
    store.signIn(cookie ? undefined : tokensOf(payload));
    return { status: "signedIn", userId: payload.user.id };
  }

  return {
    store,
    transport,
    refresher,
    async signIn(input) {
      const result: GraphQLResult<LoginMutation> = await sendOperation(transport, LoginDocument, { input: { ...input, cookie } });
      const login = result.data?.login;
      if (!login || result.errors) return { status: "failed", errors: result.errors ?? [] };
      if (login.__typename === "TwoFactorChallenge") {
        const challenge = { challengeToken: login.challengeToken, methods: login.methods, expiresAt: login.expiresAt };
        store.twoFactorRequired(challenge);
        return { status: "twoFactorRequired", ...challenge };
      }
      return signedIn(login);
    },
    async signUp(input) {
      const result = await sendOperation(transport, RegisterAndSignInDocument, { input: { ...input, signIn: true, cookie } });
      const auth = result.data?.register.auth;
      if (!auth || result.errors) return { status: "failed", errors: result.errors ?? [] };
      return signedIn(auth);
    },
    async verifyTwoFactor(input) {
      const result = await sendOperation(transport, VerifyTwoFactorLoginDocument, { input });
      const payload = result.data?.verifyTwoFactorLogin;
      if (!payload || result.errors) return { status: "failed", errors: result.errors ?? [] };
      return signedIn(payload);
    },
    async signOut() {
      try {
        await sendOperation(transport, LogoutDocument, {}, store.snapshot().accessToken);
      } finally {
        store.signOut("signedOut");
      }
    },
  };
}
