/** How the app holds its tokens: in memory (bearer) or in httpOnly cookies it cannot read (cookie). */
export type AuthMode = "bearer" | "cookie";

export interface BearerTokens {
  accessToken: string;
  refreshToken: string;
}

/** Why the app is signed out: it asked to, or the server ended the session (refresh refused). */
export type SignOutReason = "signedOut" | "sessionRevoked";

export interface TwoFactorChallengeInfo {
  challengeToken: string;
  methods: readonly string[];
  expiresAt: string;
}

export interface AuthEvents {
  signedIn: void;
  refreshed: void;
  signedOut: { reason: SignOutReason };
  sessionRevoked: void;
  twoFactorRequired: TwoFactorChallengeInfo;
}

export type AuthEventName = keyof AuthEvents;
type Listener<E extends AuthEventName> = (payload: AuthEvents[E]) => void;

export interface AuthSnapshot {
  /** Signed in as far as this app knows (the server may have ended the session since). */
  signedIn: boolean;
  /** The current access token in bearer mode; always undefined in cookie mode. */
  accessToken?: string;
}

export interface AuthStore {
  readonly mode: AuthMode;
  snapshot(): AuthSnapshot;
  /** The refresh token in bearer mode (cookie mode: the browser holds it). */
  refreshToken(): string | undefined;
  /** Records a sign-in; tokens are required in bearer mode and ignored in cookie mode. */
  signIn(tokens?: BearerTokens): void;
  /** Records rotated tokens after refreshSession. */
  refreshed(tokens?: BearerTokens): void;
  signOut(reason?: SignOutReason): void;
  twoFactorRequired(challenge: TwoFactorChallengeInfo): void;
  on<E extends AuthEventName>(event: E, listener: Listener<E>): () => void;
  /** For useSyncExternalStore: called on every change of the snapshot. */
  subscribe(listener: () => void): () => void;
}

export interface AuthStoreOptions {
  mode: AuthMode;
  /** Whether a cookie-mode app starts signed in (e.g. a server-rendered page knows). */
  initiallySignedIn?: boolean;
  /** Bearer mode: tokens kept from an earlier visit. */
  initialTokens?: BearerTokens;
}

/** The app's auth state and its events; tokens stay in memory, never in storage the page's scripts share. */
export function createAuthStore(options: AuthStoreOptions): AuthStore {
  const { mode } = options;
  let tokens: BearerTokens | undefined = mode === "bearer" ? options.initialTokens : undefined;
  let snapshot: AuthSnapshot = build(mode === "bearer" ? Boolean(tokens) : Boolean(options.initiallySignedIn));
  const listeners = new Map<AuthEventName, Set<Listener<AuthEventName>>>();
  const changeListeners = new Set<() => void>();

  function build(signedIn: boolean): AuthSnapshot {
    return mode === "bearer" && tokens ? { signedIn, accessToken: tokens.accessToken } : { signedIn };
  }

  function emit<E extends AuthEventName>(event: E, payload: AuthEvents[E]): void {
    for (const listener of listeners.get(event) ?? []) (listener as Listener<E>)(payload);
  }

  function update(nextTokens: BearerTokens | undefined, signedIn: boolean): void {
    if (mode === "bearer") {
      if (signedIn && !nextTokens) throw new Error("Bearer mode needs the access and refresh tokens");
      tokens = nextTokens;
    }
    snapshot = build(signedIn);
    for (const listener of changeListeners) listener();
  }

  return {
    mode,
    snapshot: () => snapshot,
    refreshToken: () => tokens?.refreshToken,
    signIn(next) {
      update(next, true);
      emit("signedIn", undefined);
    },
    refreshed(next) {
      update(next, true);
      emit("refreshed", undefined);
    },
    signOut(reason = "signedOut") {
      const wasSignedIn = snapshot.signedIn;
      update(undefined, false);
      // A page that was never signed in has nothing to announce (e.g. a cookie-mode page load).
      if (!wasSignedIn) return;
      if (reason === "sessionRevoked") emit("sessionRevoked", undefined);
      emit("signedOut", { reason });
    },
    twoFactorRequired(challenge) {
      emit("twoFactorRequired", challenge);
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as Listener<AuthEventName>);
      return () => set.delete(listener as Listener<AuthEventName>);
    },
    subscribe(listener) {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
  };
}
