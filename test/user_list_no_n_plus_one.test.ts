import http from "node:http";
import express from "express";
import { ApolloServer } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import type { SqlDriverAdapterFactory, SqlQuery } from "@prisma/driver-adapter-utils";
import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { login, registerUser } from "./support/accounts";
import { PrismaClient } from "../src/generated/prisma/client";
import { resolvers } from "../src/schema";
import { buildGraphQLSchema } from "../src/graphql/build-schema";
import { createContextBuilder } from "../src/context-builder";
import { createUserLoaders } from "../src/accounts/user.loaders";
import { userLoaderSources } from "../src/services";
import { User } from "../src/accounts/user.types";
import { createLogger } from "../src/logger";
import type { GraphQLContext } from "../src/graphql/context";

/**
 * The contract has no list of users yet (searchUsers comes later), so this file serves a
 * test-only `usersByIds` list beside the real resolvers, over HTTP, with the real context
 * builder, the real User field resolvers and the real per-request loaders. Only the Prisma
 * client behind the list and the loaders differs: it runs on the app's own driver adapter,
 * wrapped to record every SQL statement that reaches the database.
 */
type CountingContext = GraphQLContext & { countingPrisma: PrismaClient };

@Resolver()
class TestOnlyUserListResolver {
  @Query(() => [User])
  usersByIds(@Arg("ids", () => [ID]) ids: string[], @Ctx() ctx: CountingContext): Promise<User[]> {
    return ctx.countingPrisma.user.findMany({ where: { id: { in: ids } }, orderBy: { createdAt: "asc" } });
  }
}

function countingAdapter(inner: SqlDriverAdapterFactory, statements: string[]): SqlDriverAdapterFactory {
  const record = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(object, property) {
        const value: unknown = Reflect.get(object, property);
        if (property === "queryRaw" || property === "executeRaw") {
          return (query: SqlQuery) => {
            statements.push(query.sql);
            return (value as (query: SqlQuery) => unknown).call(object, query);
          };
        }
        return typeof value === "function" ? value.bind(object) : value;
      },
    });
  return record({ ...inner, connect: async () => record(await inner.connect()) } as SqlDriverAdapterFactory);
}

const LIST = /* GraphQL */ `
  query List($ids: [ID!]!) {
    usersByIds(ids: $ids) { id username twoFactorEnabled profile { name occupation hobby dateOfBirth } }
  }
`;

describe.each(testDatabases)("a list of 50 users on %s", (kind) => {
  let server: TestServer;
  let listServer: http.Server;
  let apollo: ApolloServer<CountingContext>;
  let countingPrisma: PrismaClient;
  let listUrl: string;
  const statements: string[] = [];
  const ids: string[] = [];

  beforeAll(async () => {
    server = await startTestServer(kind);
    const factory = server.app.database.adapterFactory as unknown as SqlDriverAdapterFactory;
    countingPrisma = new PrismaClient({ adapter: countingAdapter(factory, statements) as never });

    const schema = await buildGraphQLSchema({ resolvers: [...resolvers, TestOnlyUserListResolver] });
    apollo = new ApolloServer<CountingContext>({ schema });
    await apollo.start();
    const baseContext = createContextBuilder(server.app.services, createLogger("silent"));
    const app = express();
    app.use(
      "/graphql",
      express.json(),
      expressMiddleware(apollo, {
        context: async (args) => ({ ...(await baseContext(args)), loaders: createUserLoaders(userLoaderSources(countingPrisma)), countingPrisma }),
      }),
    );
    listServer = http.createServer(app);
    await new Promise<void>((resolve) => listServer.listen(0, "127.0.0.1", resolve));
    const address = listServer.address() as { port: number };
    listUrl = `http://127.0.0.1:${address.port}/graphql`;

    // 50 users with filled profiles, made through the public API.
    for (let i = 0; i < 50; i++) {
      const user = await registerUser(server);
      const { accessToken } = await login(server, user.username);
      await server.gql(`mutation { generateFakeProfile { id } }`, {}, { token: accessToken });
      ids.push(user.id);
    }
  });
  afterAll(async () => {
    await apollo?.stop();
    await new Promise((resolve) => listServer?.close(resolve));
    await countingPrisma?.$disconnect();
    await server.stop();
  });

  it("loads all 50 profiles with one query (and 2FA flags with one more), not one per user", async () => {
    statements.length = 0;
    const response = await fetch(listUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: LIST, variables: { ids } }),
    });
    const body = await response.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.usersByIds).toHaveLength(50);
    for (const user of body.data.usersByIds) expect(user.profile.name).toEqual(expect.any(String));

    const touching = (table: string) => statements.filter((sql) => new RegExp(`FROM "[^"]+"\\."${table}"`).test(sql));
    expect(touching("Profile")).toHaveLength(1);
    expect(touching("TwoFactor")).toHaveLength(1);
    expect(touching("User")).toHaveLength(1);
    expect(statements).toHaveLength(3);
  });
});
