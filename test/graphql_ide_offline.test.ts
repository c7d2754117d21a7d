import type { Browser } from "playwright-core";
import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { registerUser } from "./support/accounts";
import { launchChromium, screenshot, watchedPage, type PageWatch } from "./support/browser";

// The IDE at GET /graphql must work on a machine with no internet: every script, style and font
// comes from the server itself. Browser behaviour does not depend on the database, so one kind.
describe(`the GraphQL IDE in a browser (${testDatabases[0]})`, () => {
  let server: TestServer;
  let browser: Browser;
  let watch: PageWatch;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(testDatabases[0]), launchChromium()]);
    watch = await watchedPage(await browser.newContext());
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const QUERY = ".graphiql-query-editor .CodeMirror";

  /** Replaces an editor's text through CodeMirror, as typing would, without auto-closed brackets. */
  const setEditor = (selector: string, text: string) =>
    watch.page.locator(selector).first().evaluate((element, value) => (element as any).CodeMirror.setValue(value), text);
  const editorText = (selector: string) =>
    watch.page.locator(selector).first().evaluate((element) => (element as any).CodeMirror.getValue() as string);

  /** Sets the query, then waits for GraphiQL's debounced parse to pick up its operation name. */
  const setQuery = async (text: string, operationName: string) => {
    await setEditor(QUERY, text);
    await watch.page.waitForFunction(
      ([selector, name]) => (document.querySelector(selector) as any)?.CodeMirror.operationName === name,
      [QUERY, operationName],
    );
  };

  const run = async (): Promise<any> => {
    const result = ".result-window .CodeMirror";
    await setEditor(result, "");
    await watch.page.getByRole("button", { name: /Execute query/ }).click();
    await watch.page.waitForFunction((selector) => {
      const text = (document.querySelector(selector) as any)?.CodeMirror.getValue();
      return typeof text === "string" && text.trim().startsWith("{");
    }, result);
    return JSON.parse(await editorText(result));
  };

  it("loads from localhost alone, with the example operations and a header editor, and runs `me`", async () => {
    const { page } = watch;
    await page.goto(`${server.url}/graphql`, { waitUntil: "networkidle" });
    await page.waitForSelector(QUERY);

    const examples = await editorText(QUERY);
    expect(examples).toContain("mutation Register");
    expect(examples).toContain("mutation Login");
    expect(examples).toContain("query Me");

    const user = await registerUser(server);
    await setQuery(
      `mutation Login { login(input: { identifier: "${user.username}", password: "${user.password}" }) { ... on AuthPayload { accessToken } } }`,
      "Login",
    );
    const login = await run();
    const accessToken = login.data?.login?.accessToken;
    expect(typeof accessToken).toBe("string");

    await page.getByRole("button", { name: "Headers" }).click();
    const headers = ".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror";
    expect(await editorText(headers)).toContain("Authorization");
    await setEditor(headers, JSON.stringify({ Authorization: `Bearer ${accessToken}` }));
    await setQuery("query Me { me { id username } }", "Me");
    const me = await run();
    expect(me).toEqual({ data: { me: { id: user.id, username: user.username } } });
    await screenshot(page, "graphql-ide-me");

    expect(watch.offsiteRequests).toEqual([]);
    expect(watch.errors).toEqual([]);
  });
});
