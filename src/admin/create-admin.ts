import type { PrismaClient } from "../generated/prisma/client";
import type { Clock } from "../common/clock";
import type { AuditService } from "../audit";
import type { SessionRevoker } from "../credentials";
import { UserSearchStore, type AccountService, type UserStore } from "../accounts";
import { AdminService } from "./admin.service";
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
}

/** Wires admin: role and disabled-flag actions, the operator's first ADMIN, and user search. */
export function createAdmin(deps: AdminDependencies) {
  return {
    admin: new AdminService(deps.prisma, deps.users, deps.sessions, deps.audit, deps.clock),
    adminBootstrap: new AdminBootstrap(deps.users, deps.accounts),
    userSearch: new UserSearchService(new UserSearchStore(deps.prisma)),
  };
}

export type Admin = ReturnType<typeof createAdmin>;
