import type { Logger } from "pino";
import type { Config } from "./config";
import type { Services } from "./services";
import type { BackgroundJob } from "./common/background-job";
import { periodicJob } from "./common/periodic-job";

/**
 * The background jobs the features contribute, in the order they start and stop: maintenance
 * every MAINTENANCE_INTERVAL, audit pruning on its own schedule, and the two outbox deliverers.
 */
export function featureJobs(services: Services, config: Config, logger: Logger): BackgroundJob[] {
  const every = config.maintenanceIntervalMs;
  let auditPruning: { stop(): Promise<void> } | undefined;
  return [
    periodicJob("prune-sessions", every, () => services.sessionPruner.prune(), logger),
    periodicJob("refresh-signing-keys", every, async () => {
      await services.signingKeys.refresh();
      services.oidcProvider.refreshKeys();
    }, logger),
    periodicJob("prune-oidc-provider-state", every, () => services.oidcProvider.prune(), logger),
    periodicJob("prune-login-failures", every, () => services.lockout.prune(), logger),
    periodicJob("prune-two-factor-challenges", every, () => services.twoFactorChallenges.prune(), logger),
    periodicJob("prune-oauth-flows", every, () => services.oauth.pruneFlows(), logger),
    periodicJob("prune-magic-links", every, () => services.magicLinks.prune(), logger),
    periodicJob("prune-passkey-challenges", every, () => services.passkeys.challenges.prune(), logger),
    periodicJob("prune-email-code-challenges", every, () => services.emailCode.prune(), logger),
    periodicJob("lift-ended-bans", every, () => services.admin.liftEndedBans(), logger),
    periodicJob("remove-stale-avatar-uploads", every, () => services.avatarStorage.removeLeftovers(), logger),
    {
      name: "prune-audit-events",
      start: () => {
        auditPruning ??= services.auditRetention.startSchedule(logger);
      },
      stop: async () => {
        await auditPruning?.stop();
        auditPruning = undefined;
      },
    },
    // Deliver queued mail and webhook events until the process stops.
    { name: "send-mail", start: () => services.mailSender.start(), stop: () => services.mailSender.stop() },
    { name: "deliver-webhooks", start: () => services.webhooks.deliverer.start(), stop: () => services.webhooks.deliverer.stop() },
  ];
}
