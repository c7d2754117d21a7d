import type { Logger } from "pino";
import { AppError, ErrorCode } from "../common/app-error";
import { randomToken } from "../common/tokens";
import { type AccountService, normalizeUsername, type UserStore } from "../accounts";

export interface AdminAccountConfig {
  username: string;
  password: string;
  email?: string;
}

export type BootstrapOutcome = "created" | "exists" | "not-admin";

/**
 * Ensures the operator's first ADMIN (ADMIN_USERNAME / ADMIN_PASSWORD / ADMIN_EMAIL) exists.
 * Idempotent and safe with several processes starting at once. It never touches an existing
 * account: a changed password stays changed, and an account someone registered under that
 * name before the operator set it is not promoted (that would hand ADMIN to a squatter).
 */
export class AdminBootstrap {
  constructor(
    private readonly users: UserStore,
    private readonly accounts: AccountService,
  ) {}

  async ensure(admin: AdminAccountConfig, logger: Logger): Promise<BootstrapOutcome> {
    const outcome = await this.ensureQuietly(admin);
    if (outcome === "created") logger.info({ username: admin.username }, "admin account created");
    if (outcome === "not-admin") {
      logger.warn(
        { username: admin.username },
        "ADMIN_USERNAME names an existing account that is not an ADMIN; it was left unchanged (promote it with `npm run admin -- promote <username>`)",
      );
    }
    return outcome;
  }

  private async ensureQuietly(admin: AdminAccountConfig): Promise<BootstrapOutcome> {
    const existing = await this.findByUsername(admin.username);
    if (existing) return existing.role === "ADMIN" && !existing.deletedAt ? "exists" : "not-admin";
    try {
      // The secret passkey is random and never shown: the operator recovers this account
      // through the admin command or another admin, not through passkey reset.
      await this.accounts.register(
        { username: admin.username, password: admin.password, secretPasskey: randomToken(), email: admin.email ?? null },
        { ip: null, userAgent: "latchkey admin bootstrap" },
        { role: "ADMIN" },
      );
      return "created";
    } catch (error) {
      // Another process created it a moment ago.
      if (error instanceof AppError && error.code === ErrorCode.CONFLICT && error.extensions.field === "username") {
        const raced = await this.findByUsername(admin.username);
        return raced?.role === "ADMIN" ? "exists" : "not-admin";
      }
      if (error instanceof AppError) throw new Error(`ADMIN_USERNAME/ADMIN_PASSWORD/ADMIN_EMAIL rejected: ${error.message}`, { cause: error });
      throw error;
    }
  }

  private findByUsername(username: string) {
    return this.users.findByUsername(normalizeUsername(username.trim()));
  }
}
