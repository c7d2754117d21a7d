import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { startTestServer, type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { login, registerVerifiedUser, uniqueName } from "./support/accounts";
import { ADMIN_ENV, ADMIN_PASSWORD, ADMIN_USERNAME } from "./support/admin";
import { freePort } from "./support/ports";
import { launchChromium, screenshot, watchedPage, type PageWatch } from "./support/browser";
import { buildConsole } from "./support/console-build";
import { CREATE_ORGANIZATION, INVITE_MEMBER, uniqueSlug } from "./support/organizations";

const AXE = path.join(__dirname, "..", "node_modules", "axe-core", "axe.min.js");

/** axe-core's serious and critical violations on the page as it is now (evaluated over DevTools: the console's CSP blocks inline scripts). */
async function expectAccessible(page: Page, name: string): Promise<void> {
  await page.evaluate(readFileSync(AXE, "utf8"));
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: any[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n: { target: string[] }) => n.target.join(" ")) }));
  });
  expect([name, violations.filter((v) => v.impact === "serious" || v.impact === "critical")]).toEqual([name, []]);
}

// The admin console's Organizations page: a global ADMIN, a member of no organization, finds one
// by its id and reads its members and pending invitations; an unknown id finds nothing.
describe(`the admin console's organizations page (${testDatabases[0]})`, () => {
  let server: TestServer;
  let browser: Browser;
  let watch: PageWatch;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://localhost:${port}`;
    const [launched] = await Promise.all([launchChromium(), buildConsole()]);
    browser = launched;
    server = await startTestServer(testDatabases[0], { env: { ...ADMIN_ENV, PORT: String(port), PUBLIC_URL: base } });
    watch = await watchedPage(await browser.newContext());
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("shows an ADMIN an organization's members and invitations by its id", async () => {
    const owner = await registerVerifiedUser(server);
    const { accessToken } = await login(server, owner.username);
    const slug = uniqueSlug();
    const created = await server.gql(CREATE_ORGANIZATION, { input: { name: "Globex", slug } }, { token: accessToken });
    const organizationId = created.body.data.createOrganization.id as string;
    const invited = `${uniqueName("invited")}@example.com`;
    const invitation = await server.gql(INVITE_MEMBER, { organizationId, email: invited, role: "ADMIN" }, { token: accessToken });
    expect(invitation.body.errors).toBeUndefined();

    const { page } = watch;
    await page.goto(`${base}/admin/`);
    const signIn = page.getByRole("form", { name: "Sign in" });
    await signIn.getByLabel("Username or e-mail").fill(ADMIN_USERNAME);
    await signIn.getByLabel("Password").fill(ADMIN_PASSWORD);
    await signIn.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByTestId("signed-in-as").filter({ hasText: ADMIN_USERNAME }).waitFor();

    await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Organizations" }).click();
    await page.getByRole("heading", { name: "Organizations", level: 1 }).waitFor();
    const search = page.getByRole("search", { name: "Find an organization" });
    await search.getByLabel("Organization ID").fill(organizationId);
    await search.getByRole("button", { name: "Find" }).click();
    await page.waitForURL(`${base}/admin/organizations?id=${organizationId}`);
    await page.getByRole("heading", { name: "Globex", level: 2 }).waitFor();
    await page.getByRole("region", { name: "Globex" }).getByText(slug, { exact: true }).waitFor();
    const members = page.getByRole("region", { name: "Members" }).getByRole("row");
    await members.filter({ hasText: owner.username }).filter({ hasText: "OWNER" }).waitFor();
    expect(await members.count()).toBe(2);
    await page.getByRole("region", { name: "Pending invitations" }).getByRole("row").filter({ hasText: invited }).filter({ hasText: "ADMIN" }).waitFor();
    await expectAccessible(page, "organization");
    await screenshot(page, "console-organization");

    // The member's name links to their user page.
    await page.getByRole("link", { name: owner.username }).click();
    await page.waitForURL(`${base}/admin/users/${owner.id}`);
    await page.getByRole("heading", { name: owner.username, level: 1 }).waitFor();

    // An id no organization has: said so, no error.
    await page.goto(`${base}/admin/organizations?id=${randomUUID()}`);
    await page.getByRole("status").filter({ hasText: "No organization has this ID." }).waitFor();

    expect(watch.errors).toEqual([]);
    expect(watch.offsiteRequests).toEqual([]);
  });
});
