import type { PrismaClient } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import type { AuditService } from "../audit";
import type { SessionRevoker } from "../credentials";
import { UserSearchStore, type AccountService, type UserStore } from "../accounts";
import { AdminService, type AdminSupport } from "./admin.service";
import { AdminBootstrap } from "./admin-bootstrap";
import { UserSearchService } from "./user-search.service";

export interface AdminDependencies {
  prisma: PrismaClient;
  clock: Clock;
  audit: AuditService;
  users: UserStore;
  accounts: AccountService;
  /** Disabling an account or revoking its sessions ends them. */
  sessions: SessionRevoker;
  /** What the support actions (createUser, updateUser, deleteUser, sessions, resets) reach below. */
  support: AdminSupport;
}

/** Wires admin: role, ban and support actions, the operator's first ADMIN, and user search. */
export function createAdmin(deps: AdminDependencies) {
  return {
    admin: new AdminService(deps.prisma, deps.users, deps.sessions, deps.audit, deps.clock, deps.support),
    adminBootstrap: new AdminBootstrap(deps.users, deps.accounts),
    userSearch: new UserSearchService(new UserSearchStore(deps.prisma), deps.clock),
  };
}

export type Admin = ReturnType<typeof createAdmin>;
