// Ceiling for `me`: the same Apollo Server 5 on express 5 answering `me` from memory, with no
// token, no session and no database. ME_JSON is the `me` object the real server returned.
import http from "node:http";
import express from "express";
import { ApolloServer } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";

const me = JSON.parse(process.env.ME_JSON ?? "{}");

async function main() {
  const apollo = new ApolloServer({
    typeDefs: `type User { id: ID! username: String! email: String role: String! }  type Query { me: User }`,
    resolvers: { Query: { me: () => me } },
  });
  await apollo.start();
  const app = express();
  app.get("/healthz", (_req, res) => void res.json({ status: "ok" }));
  app.use("/graphql", express.json(), expressMiddleware(apollo));
  http.createServer(app).listen(Number(process.env.PORT), process.env.HOST ?? "127.0.0.1");
}

void main();
