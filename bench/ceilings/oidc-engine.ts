// The token endpoint's engine alone: oidc-provider on node:http with its in-memory adapter (no
// database, no express, no request log), one confidential client and a fixed account. What it
// answers per second is the most any server built on this engine reaches on this machine, so
// the OpenID Provider scenarios measure Latchkey against it.
// ID_TOKEN_ALG: RS256 (default) or EdDSA. GET /bench-refresh-tokens lists 20 live refresh tokens.
import http from "node:http";
import { generateKeyPairSync } from "node:crypto";

const CLIENT_ID = process.env.CLIENT_ID ?? "bench-engine";
const CLIENT_SECRET = process.env.CLIENT_SECRET ?? "bench-engine-secret";
const ALG = process.env.ID_TOKEN_ALG === "EdDSA" ? "EdDSA" : "RS256";
const ACCOUNT = "00000000-0000-4000-8000-000000000001";

async function main() {
  const { default: Provider } = await import("oidc-provider");
  const jwk = (pair: { privateKey: { export(options: { format: "jwk" }): object } }, kid: string) => ({ ...pair.privateKey.export({ format: "jwk" }), kid, use: "sig" });
  const keys = [
    { ...jwk(generateKeyPairSync("rsa", { modulusLength: 2048 }), "rs"), alg: "RS256" },
    { ...jwk(generateKeyPairSync("ed25519"), "ed"), alg: "EdDSA" },
  ];
  const issuer = `http://127.0.0.1:${process.env.PORT}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: ["http://127.0.0.1:5599/callback"],
        grant_types: ["authorization_code", "refresh_token", "client_credentials"],
        response_types: ["code"],
        id_token_signed_response_alg: ALG,
      },
    ],
    jwks: { keys },
    enabledJWA: { idTokenSigningAlgValues: ["RS256", "EdDSA"] },
    features: { clientCredentials: { enabled: true }, introspection: { enabled: true }, revocation: { enabled: true }, devInteractions: { enabled: false } },
    claims: { openid: ["sub"], profile: ["name", "preferred_username"], email: ["email", "email_verified"] },
    scopes: ["openid", "offline_access", "profile", "email"],
    rotateRefreshToken: true,
    findAccount: async (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: async () => ({ sub, preferred_username: "bench", name: "Bench User", email: "bench@example.com", email_verified: true }),
    }),
  } as never);

  const client = await provider.Client.find(CLIENT_ID);
  const refreshTokens: string[] = [];
  for (let i = 0; i < 20; i++) {
    const grant = new provider.Grant({ accountId: ACCOUNT, clientId: CLIENT_ID });
    grant.addOIDCScope("openid profile email offline_access");
    const grantId = await grant.save();
    // The engine's models issue tokens directly (this project's declarations omit RefreshToken).
    const { RefreshToken } = provider as unknown as { RefreshToken: new (init: object) => { save(): Promise<string> } };
    const token = new RefreshToken({ accountId: ACCOUNT, client, grantId, gty: "authorization_code", scope: "openid profile email offline_access", rotations: 0 });
    refreshTokens.push(await token.save());
  }

  const engine = provider.callback();
  http
    .createServer((req, res) => {
      if (req.url === "/bench-refresh-tokens") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(refreshTokens));
        return;
      }
      engine(req, res);
    })
    .listen(Number(process.env.PORT), process.env.HOST ?? "127.0.0.1");
}

// A clean exit on SIGTERM, so BENCH_NODE_ARGS="--cpu-prof" can write its profile.
process.on("SIGTERM", () => process.exit(0));
void main();
