import type { TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { login, registerVerifiedUser, uniqueName } from "./support/accounts";
import type { TestOidcProvider } from "./support/oidc-test-provider";
import { COMPLETE_OAUTH, LINK_OAUTH, START_OAUTH, authorizeAt, useServerWithOidcProvider } from "./support/oauth";

/**
 * Login CSRF: an attacker starts a social sign-in, passes the provider as themself and sends the
 * victim the callback (their code and state). The flow is bound to the browser that started it,
 * so the victim's browser cannot complete it and does not end up signed in as the attacker.
 */
describe.each(testDatabases)("social sign-in bound to the browser on %s", (kind) => {
  let op: TestOidcProvider;
  let server: TestServer;
  useServerWithOidcProvider(kind, (started) => ({ op, server } = started));

  /** A browser: keeps the cookies the server sets and sends them back. */
  function browser() {
    const jar = new Map<string, string>();
    return {
      jar,
      async gql(query: string, variables: Record<string, unknown>) {
        const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
        const response = await server.gql(query, variables, { headers: cookie ? { cookie } : {} });
        for (const line of response.headers.getSetCookie()) {
          const [pair] = line.split(";");
          const [name, ...value] = pair.split("=");
          jar.set(name.trim(), value.join("="));
        }
        return response;
      },
    };
  }

  /** startOAuthLogin in `from`, then the provider's answer for `sub`: the callback's code and state. */
  async function startIn(from: ReturnType<typeof browser>, sub: string) {
    const started = await from.gql(START_OAUTH, { provider: "testop", redirectUri: op.redirectUri });
    expect(started.body.errors).toBeUndefined();
    const { authorizationUrl, state } = started.body.data.startOAuthLogin;
    const answer = await op.authorize(authorizationUrl, sub);
    return { provider: "testop", code: answer.code, state, setCookie: started.headers.getSetCookie() };
  }

  it("sets the binding as an httpOnly cookie for the API's path only", async () => {
    const { setCookie } = await startIn(browser(), op.addAccount({ sub: uniqueName("sub") }).sub);
    const cookie = setCookie.find((line) => line.startsWith("lk_oauth="));
    expect(cookie).toMatch(/^lk_oauth=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/graphql/);
    expect(cookie).toMatch(/Max-Age=600/);
  });

  it("a callback started in one browser cannot be completed in another", async () => {
    const attacker = browser();
    const victim = browser();
    const attackerAccount = op.addAccount({ sub: uniqueName("attacker"), preferred_username: uniqueName("mallory") });
    const { setCookie, ...callback } = await startIn(attacker, attackerAccount.sub);
    void setCookie;
    const sessionsBefore = await server.app.database.prisma.session.count();

    // The victim's browser has no binding cookie, then one of its own: both are refused.
    const bare = await victim.gql(COMPLETE_OAUTH, { input: callback });
    expect(bare.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "state" });
    expect(bare.body.errors?.[0].message).toMatch(/another browser/);
    await startIn(victim, op.addAccount({ sub: uniqueName("sub") }).sub);
    expect(victim.jar.get("lk_oauth")).toBeDefined();
    expect(victim.jar.get("lk_oauth")).not.toBe(attacker.jar.get("lk_oauth"));
    const ownCookie = await victim.gql(COMPLETE_OAUTH, { input: callback });
    expect(ownCookie.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "state" });
    expect(await server.app.database.prisma.session.count()).toBe(sessionsBefore);
    expect(victim.jar.has("lk_access")).toBe(false);

    // The refused attempts did not spend the flow: the browser that started it completes it.
    const own = await attacker.gql(COMPLETE_OAUTH, { input: callback });
    expect(own.body.data?.completeOAuthLogin.__typename).toBe("AuthPayload");
  });

  it("an app without cookies proves the flow with the binding it kept; another flow's binding does not do", async () => {
    const first = await authorizeAt(server, op, op.addAccount({ sub: uniqueName("sub") }).sub);
    const second = await authorizeAt(server, op, op.addAccount({ sub: uniqueName("sub") }).sub);
    const crossed = await server.gql(COMPLETE_OAUTH, { input: { provider: first.provider, code: first.code, state: first.state, binding: second.binding } });
    expect(crossed.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "state" });
    const right = await server.gql(COMPLETE_OAUTH, { input: { provider: first.provider, code: first.code, state: first.state, binding: first.binding } });
    expect(right.body.data?.completeOAuthLogin.__typename).toBe("AuthPayload");
  });

  it("completeOAuthLogin refuses a flow started for linking, which linkOAuthAccount still completes", async () => {
    const user = await registerVerifiedUser(server);
    const session = await login(server, user.username);
    const identity = op.addAccount({ sub: uniqueName("sub") });
    const { authorizationUrl, ...input } = await authorizeAt(server, op, identity.sub, { token: session.accessToken });
    void authorizationUrl;

    const asSignIn = await server.gql(COMPLETE_OAUTH, { input });
    expect(asSignIn.body.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "state" });
    expect(asSignIn.body.errors?.[0].message).toMatch(/linkOAuthAccount/);
    expect(await server.app.database.prisma.oAuthAccount.count({ where: { providerSubject: identity.sub } })).toBe(0);

    const linked = await server.gql(LINK_OAUTH, { input }, { token: session.accessToken });
    expect(linked.body.data?.linkOAuthAccount).toEqual({ id: user.id, linkedProviders: ["testop"] });
  });
});
