import path from "node:path";
import express, { type Router } from "express";
import { projectRoot } from "../common/project-root";

// An interactive GraphQL IDE (GraphiQL) served from the installed packages: no CDN, works offline.
// These are the packages' own prebuilt production bundles (graphiql's UMD build, React as a global),
// pinned by package-lock.json; bundling them again ourselves would change nothing the browser gets.
const ASSETS: Record<string, string> = {
  "react.js": "react/umd/react.production.min.js",
  "react-dom.js": "react-dom/umd/react-dom.production.min.js",
  "graphiql.js": "graphiql/graphiql.min.js",
  "graphiql.css": "graphiql/graphiql.min.css",
};

const EXAMPLES = `# Welcome to Latchkey. Run an operation with the ▶ button.
# 1. register, 2. login (copy accessToken), 3. put it in Headers:
#    { "Authorization": "Bearer <accessToken>" }   and run me.

mutation Register {
  register(input: {
    username: "ada"
    password: "analytical-engine-1843"
    secretPasskey: "my offline recovery phrase"
    email: "ada@example.com"
  }) { userId user { username email } }
}

mutation Login {
  login(input: { identifier: "ada", password: "analytical-engine-1843", expiresInMinutes: 60 }) {
    ... on AuthPayload { accessToken refreshToken accessTokenExpiresAt user { id username } }
    ... on TwoFactorChallenge { challengeToken methods }
  }
}

query Me {
  me { id username email role emailVerified profile { name } }
}
`;

const INIT = `
const root = ReactDOM.createRoot(document.getElementById("graphiql"));
root.render(React.createElement(GraphiQL, {
  fetcher: GraphiQL.createFetcher({ url: window.location.pathname }),
  defaultQuery: ${JSON.stringify(EXAMPLES)},
  defaultHeaders: ${JSON.stringify(JSON.stringify({ Authorization: "Bearer <accessToken>" }, null, 2))},
  isHeadersEditorEnabled: true,
  shouldPersistHeaders: false,
}));
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Latchkey GraphQL IDE</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/ide/graphiql.css">
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">Loading the IDE…</div>
  <script src="/ide/react.js"></script>
  <script src="/ide/react-dom.js"></script>
  <script src="/ide/graphiql.js"></script>
  <script src="/ide/init.js"></script>
</body>
</html>`;

/** Serves the IDE at GET /graphql for browsers (GET queries with ?query= still go to GraphQL). */
export function graphqlIde(): { page: express.RequestHandler; assets: Router } {
  const assets = express.Router();
  for (const [name, modulePath] of Object.entries(ASSETS)) {
    // Direct dependencies sit at the top of node_modules; their "exports" hide the UMD files.
    const file = path.join(projectRoot(), "node_modules", modulePath);
    assets.get(`/${name}`, (_req, res) => res.sendFile(file, { maxAge: "1d" }));
  }
  assets.get("/init.js", (_req, res) => res.type("application/javascript").send(INIT));

  const page: express.RequestHandler = (req, res, next) => {
    const wantsHtml = req.method === "GET" && req.accepts(["application/json", "text/html"]) === "text/html";
    if (!wantsHtml || req.query.query !== undefined) return next();
    res
      .type("html")
      .setHeader("content-security-policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; frame-ancestors 'none'")
      .send(PAGE);
  };
  return { page, assets };
}
