import { randomUUID } from "node:crypto";
import { Prisma } from "../src/generated/prisma/client";
import { oidcAdapterClass, settlePendingUse, withEngineRequest } from "../src/provider/oidc-adapter";
import type { OidcPayloadStore } from "../src/provider/oidc-payload.store";
import { START_TIMEOUT_MS, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { startProviderServer } from "./support/oidc-relying-party";

/**
 * A refresh or code exchange writes the use of its code or refresh token together with the
 * tokens issued in its place, in one statement when the access token is stored. The threats:
 * a use that is lost (the old token keeps working), tokens stored for a request that lost the
 * race (a replayed token still yields working tokens), and a half-written exchange when the
 * engine fails between the two.
 */
describe.each(testDatabases)("the use of a code or refresh token, written with what replaces it, on %s", (kind) => {
  let server: TestServer;
  let payloads: OidcPayloadStore;
  const clock = { now: () => new Date() };
  const alreadyUsed = () => new Error("grant source already used");
  let Adapter: new (model: string) => {
    upsert(id: string, payload: Record<string, unknown>, expiresIn?: number): Promise<void>;
    consume(id: string): Promise<void>;
    find(id: string): Promise<Record<string, unknown> | undefined>;
  };

  beforeAll(async () => {
    server = await startProviderServer(kind);
    payloads = server.app.services.oidcProvider.payloads;
    Adapter = oidcAdapterClass(payloads, { findForEngine: async () => null }, { column: () => Prisma.sql`NULL`, parse: () => null }, clock, alreadyUsed);
  }, START_TIMEOUT_MS);
  afterAll(() => server.stop());

  /** A grant with one refresh token issued under it. */
  async function issued() {
    const grantId = randomUUID();
    const refreshTokenId = randomUUID();
    const later = new Date(Date.now() + 3_600_000);
    await payloads.upsert("Grant", grantId, { accountId: "someone", clientId: "app" }, later);
    await payloads.upsert("RefreshToken", refreshTokenId, { grantId, accountId: "someone" }, later);
    return { grantId, refreshTokenId };
  }

  const row = (model: string, id: string) => payloads.find(model, id, new Date());

  /** The engine's refresh: use the token, store the next refresh token, then the access token. */
  const refresh = (refreshTokenId: string, grantId: string) => {
    const next = { refreshToken: randomUUID(), accessToken: randomUUID() };
    const done = withEngineRequest(async () => {
      await new Adapter("RefreshToken").consume(refreshTokenId);
      await new Adapter("RefreshToken").upsert(next.refreshToken, { grantId, accountId: "someone" }, 3600);
      await new Adapter("AccessToken").upsert(next.accessToken, { grantId, accountId: "someone" }, 600);
    });
    return { next, done };
  };

  it("writes nothing before the access token is stored, then the use and both tokens together", async () => {
    const { grantId, refreshTokenId } = await issued();
    const next = randomUUID();
    await withEngineRequest(async () => {
      await new Adapter("RefreshToken").consume(refreshTokenId);
      await new Adapter("RefreshToken").upsert(next, { grantId, accountId: "someone" }, 3600);
      // Read straight from the store: still unused, and the next token not there yet.
      expect((await row("RefreshToken", refreshTokenId))?.consumed).toBeUndefined();
      expect(await row("RefreshToken", next)).toBeUndefined();
      await new Adapter("AccessToken").upsert("access-" + next, { grantId, accountId: "someone" }, 600);
    });
    expect(typeof (await row("RefreshToken", refreshTokenId))?.consumed).toBe("number");
    expect(await row("RefreshToken", next)).toMatchObject({ grantId });
    expect(await row("AccessToken", "access-" + next)).toMatchObject({ grantId });
  });

  it("stores nothing for a second request using the same token, and ends the grant", async () => {
    const { grantId, refreshTokenId } = await issued();
    const first = refresh(refreshTokenId, grantId);
    await first.done;
    const second = refresh(refreshTokenId, grantId);
    await expect(second.done).rejects.toThrow("grant source already used");
    expect(await row("RefreshToken", second.next.refreshToken)).toBeUndefined();
    expect(await row("AccessToken", second.next.accessToken)).toBeUndefined();
    // A reuse: the grant and what the first request got are gone.
    expect(await row("Grant", grantId)).toBeUndefined();
    expect(await row("AccessToken", first.next.accessToken)).toBeUndefined();
  });

  it("gives tokens to exactly one of six requests using the same token at once", async () => {
    const { grantId, refreshTokenId } = await issued();
    const attempts = Array.from({ length: 6 }, () => refresh(refreshTokenId, grantId));
    const outcomes = await Promise.allSettled(attempts.map((attempt) => attempt.done));
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.status === "rejected")).toHaveLength(5);
    for (const attempt of attempts) expect(await row("AccessToken", attempt.next.accessToken)).toBeUndefined();
  });

  it("leaves the token unused when the request fails after using it", async () => {
    const { grantId, refreshTokenId } = await issued();
    const next = randomUUID();
    await expect(
      withEngineRequest(async () => {
        await new Adapter("RefreshToken").consume(refreshTokenId);
        await new Adapter("RefreshToken").upsert(next, { grantId, accountId: "someone" }, 3600);
        throw new Error("the engine failed before storing the access token");
      }),
    ).rejects.toThrow("the engine failed");
    expect((await row("RefreshToken", refreshTokenId))?.consumed).toBeUndefined();
    expect(await row("RefreshToken", next)).toBeUndefined();
  });

  it("writes a use still pending when the engine has answered", async () => {
    const { grantId, refreshTokenId } = await issued();
    const next = randomUUID();
    await withEngineRequest(async () => {
      await new Adapter("RefreshToken").consume(refreshTokenId);
      await new Adapter("RefreshToken").upsert(next, { grantId, accountId: "someone" }, 3600);
      await settlePendingUse(payloads, new Date(), alreadyUsed);
    });
    expect(typeof (await row("RefreshToken", refreshTokenId))?.consumed).toBe("number");
    expect(await row("RefreshToken", next)).toMatchObject({ grantId });
  });

  it("writes the pending use first when the request reads before storing the access token", async () => {
    const { grantId, refreshTokenId } = await issued();
    await withEngineRequest(async () => {
      await new Adapter("RefreshToken").consume(refreshTokenId);
      // Read through the adapter, so it sees what this request did.
      expect(typeof (await new Adapter("RefreshToken").find(refreshTokenId))?.consumed).toBe("number");
    });
    expect(await row("Grant", grantId)).toBeDefined();
  });

  it("writes a use at once outside an engine request", async () => {
    const { refreshTokenId } = await issued();
    await new Adapter("RefreshToken").consume(refreshTokenId);
    expect(typeof (await row("RefreshToken", refreshTokenId))?.consumed).toBe("number");
    await expect(new Adapter("RefreshToken").consume(refreshTokenId)).rejects.toThrow("grant source already used");
  });
});
