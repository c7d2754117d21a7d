// Ceiling for `me`: the same Apollo Server 5 on express 5 answering `me` from memory, with no
// token, no session and no database. ME_JSON is the `me` object the real server returned.
import http from "node:http";
import express from "express";
import { ApolloServer, HeaderMap } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import { buildSchema } from "graphql";
import { jitGateway } from "./jit-gateway";

const me = JSON.parse(process.env.ME_JSON ?? "{}");

function withResolvers(schema: ReturnType<typeof buildSchema>, query: Record<string, () => unknown>) {
  const fields = schema.getQueryType()!.getFields();
  for (const [name, resolve] of Object.entries(query)) fields[name].resolve = resolve;
  return schema;
}

async function main() {
  const typeDefs = `type User { id: ID! username: String! email: String role: String! }  type Query { me: User }`;
  const resolvers = { Query: { me: () => me } };
  // EXECUTOR=jit: the same server with graphql-jit behind Apollo's executor hook.
  const apollo =
    process.env.EXECUTOR === "jit"
      ? new ApolloServer({ gateway: jitGateway(withResolvers(buildSchema(typeDefs), resolvers.Query)) })
      : new ApolloServer({ typeDefs, resolvers });
  await apollo.start();
  const app = express();
  app.get("/healthz", (_req, res) => void res.json({ status: "ok" }));
  app.use("/graphql", express.json(), expressMiddleware(apollo));
  // FRONT=http: POST /graphql handed to Apollo straight from node:http, without express.
  const handler = process.env.FRONT === "http" ? withoutExpress(apollo, app) : app;
  http.createServer(handler).listen(Number(process.env.PORT), process.env.HOST ?? "127.0.0.1");
}

function withoutExpress(apollo: ApolloServer, fallback: http.RequestListener): http.RequestListener {
  return (req, res) => {
    if (req.method !== "POST" || !req.url?.startsWith("/graphql")) return fallback(req, res);
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const headers = new HeaderMap();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: "POST", headers, search: "", body: JSON.parse(Buffer.concat(chunks).toString("utf8")) },
        context: async () => ({}),
      });
      if (response.body.kind !== "complete") throw new Error("incremental delivery is not used here");
      res.writeHead(response.status ?? 200, Object.fromEntries(response.headers));
      res.end(response.body.string);
    });
  };
}

void main();
