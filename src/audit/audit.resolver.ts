import { Args, Authorized, Ctx, Query, Resolver } from "type-graphql";
import type { AuditEvent as AuditEventRow } from "../generated/prisma/client";
import type { GraphQLContext } from "../graphql/context";
import { decodeCursor, pageSize, toConnection, type Connection } from "../graphql/pagination";
import type { Page } from "../common/page";
import { Errors } from "../common/app-error";
import { AuditEvent, AuditEventConnection } from "./audit-event.types";
import { AuditLogArgs, MyActivityArgs } from "./audit.inputs";
import { TokenScope } from "../graphql/token-scope";

function toAuditEvent(row: AuditEventRow): AuditEvent {
  return { ...row, metadata: row.metadata === null ? null : JSON.stringify(row.metadata) };
}

function toAuditConnection(page: Page<AuditEventRow>): Connection<AuditEvent> {
  const connection = toConnection(page);
  return {
    pageInfo: connection.pageInfo,
    edges: connection.edges.map((edge) => ({ cursor: edge.cursor, node: toAuditEvent(edge.node) })),
    get totalCount() {
      return connection.totalCount;
    },
  };
}

@Resolver()
export class AuditResolver {
  @Authorized()
  @TokenScope("admin:read")
  @Query(() => AuditEventConnection, {
    description:
      "The audit trail of every account, newest first; ADMIN only, except that an organization's OWNERs and ADMINs may read it with filter.organizationId naming their organization (its events only). FORBIDDEN for others.",
  })
  async auditLog(@Args(() => AuditLogArgs) args: AuditLogArgs, @Ctx() ctx: GraphQLContext): Promise<Connection<AuditEvent>> {
    const viewer = ctx.viewer!;
    if (viewer.user.role !== "ADMIN") {
      // The organization's OWNERs and ADMINs, from the database on this request.
      const organizationId = args.filter?.organizationId;
      const role = organizationId ? await ctx.services.organizations.roleOf(organizationId, viewer.user.id) : null;
      if (role !== "OWNER" && role !== "ADMIN") throw Errors.forbidden();
    }
    const page = await ctx.services.auditLog.list(args.filter ?? {}, { first: pageSize(args.first, 50), after: decodeCursor(args.after) });
    return toAuditConnection(page);
  }

  /** The caller's own events, newest first; another actor's IP and user agent are left out. */
  @Authorized()
  @TokenScope("read:profile")
  @Query(() => AuditEventConnection, {
    description: "The signed-in user's own events, newest first; ip and userAgent only on those the caller acted in, never another person's.",
  })
  async myActivity(@Args(() => MyActivityArgs) args: MyActivityArgs, @Ctx() ctx: GraphQLContext): Promise<Connection<AuditEvent>> {
    const page = await ctx.services.auditLog.listOwn(ctx.viewer!.user.id, { first: pageSize(args.first, 20), after: decodeCursor(args.after) });
    return toAuditConnection(page);
  }
}
