import type { PrismaClient } from "../generated/prisma/client";
import type { Config, RateLimit } from "../config";
import type { Clock } from "../common/clock";
import type { AuditService } from "../audit";
import type { AccountService, SignInMethods } from "../accounts";
import type { MailTemplates, Outbox } from "../mail";
import type { SignInService, TwoFactorChallengeService } from "../sign-in";
import { MagicLinkStore } from "./magic-link.store";
import { MagicLinkService, type MagicLinkTwoFactor, type MagicLinkUsers } from "./magic-link.service";

export interface MagicLinkDependencies {
  prisma: PrismaClient;
  config: Pick<Config, "publicUrl" | "appUrl" | "corsOrigins" | "magicLinkTtlMs" | "magicLinkSignup">;
  clock: Clock;
  audit: AuditService;
  outbox: Outbox;
  templates: MailTemplates;
  accounts: AccountService;
  /** Accounts' store, for sign-up by link. */
  users: MagicLinkUsers;
  signIn: SignInService;
  challenges: TwoFactorChallengeService;
  twoFactor: MagicLinkTwoFactor;
  /** The account's ways in: an unverified address gets a link only while its account has none. */
  waysIn: Pick<SignInMethods, "hasWaysInFromBeforeProof">;
  /** Every rate limit, defaults filled in: the per-address one is counted here. */
  rateLimits: Record<string, RateLimit | null>;
}

/** Sign-in by e-mailed link: its store, its service and what its resolver and page read. */
export function createMagicLinks(deps: MagicLinkDependencies) {
  const { config } = deps;
  const store = new MagicLinkStore(deps.prisma);
  const allowedOrigins = new Set([new URL(config.publicUrl).origin, new URL(config.appUrl).origin, ...config.corsOrigins]);
  const perRecipient = deps.rateLimits.MAGIC_LINK_RECIPIENT ?? null;
  const service = new MagicLinkService(
    deps.prisma, store, deps.accounts, deps.users, deps.signIn, deps.challenges, deps.twoFactor, deps.outbox, deps.templates, deps.audit, deps.clock,
    {
      publicUrl: config.publicUrl,
      appUrl: config.appUrl,
      allowedOrigins,
      ttlMs: config.magicLinkTtlMs,
      signup: config.magicLinkSignup,
      perRecipient,
    },
    deps.waysIn,
  );
  // Rows are kept past their expiry while the per-address limit still counts them.
  const keepMs = Math.max(config.magicLinkTtlMs, perRecipient?.windowMs ?? 0);
  return {
    store,
    service,
    allowedOrigins: allowedOrigins as ReadonlySet<string>,
    /** The binding cookie lives as long as the link. */
    cookieMaxAgeSeconds: Math.ceil(config.magicLinkTtlMs / 1000),
    /** Deletes links past their expiry and the per-address window. */
    prune: () => store.deleteCreatedBefore(new Date(deps.clock.now().getTime() - keepMs)),
  };
}

export type MagicLinks = ReturnType<typeof createMagicLinks>;
