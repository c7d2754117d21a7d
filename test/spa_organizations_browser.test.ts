import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { type TestServer } from "./support/test-server";
import { testDatabases } from "./support/databases";
import { SECRET_PASSKEY, STRONG_PASSWORD, jwtPayload, registerVerifiedUser, uniqueName, type RegisteredUser } from "./support/accounts";
import { screenshot, watchedPage, type PageWatch } from "./support/browser";
import { type SpaServer } from "./support/spa-server";
import { startAppInBrowser, type AppInBrowser } from "./support/spa-build";
import { linkToken, startSmtpServer, type TestSmtpServer } from "./support/smtp";
import { deliverMail } from "./support/recovery";
import { seedUsers } from "./support/admin";

const AXE = path.join(__dirname, "..", "node_modules", "axe-core", "axe.min.js");

/** axe-core's serious and critical violations on the page as it is now. */
async function expectAccessible(page: Page, name: string): Promise<void> {
  await page.evaluate(readFileSync(AXE, "utf8"));
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: any[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n: { target: string[] }) => n.target.join(" ")) }));
  });
  expect([name, violations.filter((v) => v.impact === "serious" || v.impact === "critical")]).toEqual([name, []]);
}

async function signIn(page: Page, username: string): Promise<void> {
  const login = page.getByRole("form", { name: "Sign in" });
  await login.getByLabel("Username or e-mail").fill(username);
  await login.getByLabel("Password", { exact: true }).fill(STRONG_PASSWORD);
  await login.getByRole("button", { name: "Sign in" }).click();
}

// The example app's organization screens in headless Chromium: an owner creates an organization
// and invites an address by e-mail; the invited person opens the mailed link in their own browser,
// signs in there and accepts; a third person without an account signs up from their link and
// joins in that step; the owner makes the organization active and the access cookie says so.
describe(`the example app's organizations: create, invite by mail, accept from the link, switch (${testDatabases[0]})`, () => {
  let server: TestServer;
  let smtp: TestSmtpServer;
  let spa: SpaServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  // Shared by the two tests: the owner's browser and the people the first one invites.
  let ownerPage: Page;
  let owner: RegisteredUser;
  let invited: string;
  let inviteePage: Page;
  const newcomerName = uniqueName("newcomer");
  const newcomer = { username: newcomerName, email: `${newcomerName}@example.com` };
  const ownerOrganizations = () => ownerPage.getByRole("region", { name: "Organizations" });

  function expectNoPageErrors(): void {
    for (const watch of watches) {
      expect(watch.errors).toEqual([]);
      // Apollo's and React's development warnings (a cache merge losing data, a key missing) too.
      expect(watch.warnings).toEqual([]);
      expect(watch.offsiteRequests).toEqual([]);
    }
  }
  const watches: PageWatch[] = [];

  async function newWatchedPage(): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    const watch = await watchedPage(context);
    watches.push(watch);
    return watch.page;
  }

  /** Delivers the outbox and returns the accept-invitation link mailed to `address`. */
  async function invitationLink(address: string): Promise<string> {
    await deliverMail(server);
    // The address also got its verification mail at sign-up: the invitation is the one with the link.
    let mail = await smtp.waitFor(address);
    for (let seen = 1; !mail.decoded.includes("/accept-invitation?token="); seen++) mail = await smtp.waitFor(address, seen);
    const token = linkToken(mail, "/accept-invitation");
    expect(mail.decoded).toContain(`${spa.url}/accept-invitation?token=${token}`);
    return `${spa.url}/accept-invitation?token=${token}`;
  }

  let app: AppInBrowser | undefined;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    // The test delivers mail when it chooses.
    ({ browser, spa, server } = app = await startAppInBrowser({ SMTP_URL: smtp.url, MAIL_POLL_INTERVAL: "1h" }));
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await smtp?.stop();
  });

  it("lets the invited people join from the mailed link and the owner switch to the organization, with no console errors", async () => {
    owner = await registerVerifiedUser(server);
    const invitee = await registerVerifiedUser(server);
    const slug = uniqueName("acme").toLowerCase().replace(/[^a-z0-9-]/g, "-");

    // The owner signs in and creates the organization; it opens, with the owner as its only member.
    ownerPage = await newWatchedPage();
    await ownerPage.goto(spa.url);
    await signIn(ownerPage, owner.username);
    await ownerPage.getByTestId("signed-in-as").filter({ hasText: owner.username }).waitFor();
    const organizations = ownerOrganizations();
    await organizations.getByText("You are not a member of any organization yet.").waitFor();
    const create = organizations.getByRole("form", { name: "New organization" });
    await create.getByLabel("Name").fill("Acme Rockets");
    await create.getByLabel("Slug").fill(slug);
    await create.getByRole("button", { name: "Create organization" }).click();
    const mine = organizations.getByRole("list", { name: "Your organizations" }).getByTestId("organization");
    await mine.filter({ hasText: "Acme Rockets" }).filter({ hasText: "owner" }).waitFor();
    const detail = organizations.getByRole("region", { name: "Acme Rockets" });
    invited = invitee.username;
    await detail.getByTestId("member").filter({ hasText: `${owner.username} (you)` }).waitFor();
    expect(await detail.getByTestId("member").count()).toBe(1);

    // Invitations by e-mail: one to an existing account, one to an address with none.
    const invite = detail.getByRole("form", { name: "Invite a member" });
    for (const [address, role] of [[invitee.email, "admin"], [newcomer.email, "member"]]) {
      await invite.getByLabel("E-mail").fill(address);
      await invite.getByLabel("Role").selectOption({ label: role });
      await invite.getByRole("button", { name: "Send invitation" }).click();
      await detail.getByTestId("invitation").filter({ hasText: address }).waitFor();
    }
    await screenshot(ownerPage, "spa-organization-invitations");
    await expectAccessible(ownerPage, "organization");

    // The invited user opens the link in their own browser: signed out there, they sign in on the
    // link's page, accept, and find the organization in the app.
    inviteePage = await newWatchedPage();
    await inviteePage.goto(await invitationLink(invitee.email));
    await inviteePage.getByRole("heading", { name: "Join an organization" }).waitFor();
    await expectAccessible(inviteePage, "accept-invitation");
    await signIn(inviteePage, invitee.username);
    await inviteePage.getByRole("button", { name: "Accept invitation" }).click();
    await inviteePage.getByRole("status").filter({ hasText: "You joined Acme Rockets as admin." }).waitFor();
    await inviteePage.getByRole("link", { name: "Go to the app" }).click();
    await inviteePage.getByRole("region", { name: "Organizations" }).getByTestId("organization").filter({ hasText: "Acme Rockets" }).filter({ hasText: "admin" }).waitFor();

    // The owner's list shows the new member once reopened; the newcomer's invitation is still pending.
    await ownerPage.reload();
    await organizations.getByRole("button", { name: "Open Acme Rockets" }).click();
    await detail.getByTestId("member").filter({ hasText: invitee.username }).waitFor();
    expect(await detail.getByTestId("member").count()).toBe(2);
    expect(await detail.getByTestId("invitation").allTextContents()).toEqual([expect.stringContaining(newcomer.email)]);

    // Switching: the organization is marked active, and the renewed access cookie carries its claims.
    await organizations.getByRole("button", { name: "Make active: Acme Rockets" }).click();
    await mine.filter({ hasText: "Acme Rockets" }).filter({ hasText: "(active)" }).waitFor();
    const organizationId = await ownerPage.evaluate(() =>
      fetch("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":"{ viewer { organizations { organization { id } } } }"}' })
        .then((r) => r.json())
        .then((body) => body.data.viewer.organizations[0].organization.id as string),
    );
    const access = (await contexts[0].cookies()).find((cookie) => cookie.name === "lk_access")!.value;
    expect(jwtPayload(access)).toMatchObject({ org_id: organizationId, org_role: "OWNER" });
    await screenshot(ownerPage, "spa-organization-active");

    expectNoPageErrors();
  });

  it("lets a person without an account sign up from the link and join in that step", async () => {
    // The newcomer creates an account from the link with the invited address: it joins in that step.
    const newcomerPage = await newWatchedPage();
    await newcomerPage.goto(await invitationLink(newcomer.email));
    const register = newcomerPage.getByRole("form", { name: "Create an account" });
    await register.getByLabel("Username").fill(newcomer.username);
    await register.getByLabel("E-mail").fill(newcomer.email);
    await register.getByLabel("Password", { exact: true }).fill(STRONG_PASSWORD);
    await register.getByLabel("Secret passkey").fill(SECRET_PASSKEY);
    await register.getByRole("button", { name: "Create account" }).click();
    await newcomerPage.getByRole("status").filter({ hasText: "Account created, and you joined the organization." }).waitFor();
    const login = newcomerPage.getByRole("form", { name: "Sign in" });
    expect(await login.getByLabel("Username or e-mail").inputValue()).toBe(newcomer.username);
    await login.getByLabel("Password", { exact: true }).fill(STRONG_PASSWORD);
    await login.getByRole("button", { name: "Sign in" }).click();
    await newcomerPage.getByRole("status").filter({ hasText: "You joined the organization." }).waitFor();
    await newcomerPage.getByRole("link", { name: "Go to the app" }).click();
    await newcomerPage.getByRole("region", { name: "Organizations" }).getByTestId("organization").filter({ hasText: "Acme Rockets" }).filter({ hasText: "member" }).waitFor();

    // The owner sees all three members, and no invitation left pending.
    const organizations = ownerOrganizations();
    const detail = organizations.getByRole("region", { name: "Acme Rockets" });
    await ownerPage.reload();
    await organizations.getByRole("button", { name: "Open Acme Rockets" }).click();
    for (const name of [owner.username, invited, newcomer.username]) await detail.getByTestId("member").filter({ hasText: name }).waitFor();
    await detail.getByText("No pending invitations.").waitFor();
    expectNoPageErrors();
  });

  it("resends and revokes an invitation and changes a member's role; the only owner cannot leave, a member can, the owner removes one", async () => {
    const organizations = ownerOrganizations();
    const detail = organizations.getByRole("region", { name: "Acme Rockets" });
    await ownerPage.reload();
    await organizations.getByRole("button", { name: "Open Acme Rockets" }).click();

    // Invite, resend (a second mail with a new link), revoke: the list empties of it.
    const address = `${uniqueName("passing")}@example.com`;
    const invite = detail.getByRole("form", { name: "Invite a member" });
    await invite.getByLabel("E-mail").fill(address);
    await invite.getByRole("button", { name: "Send invitation" }).click();
    const row = detail.getByTestId("invitation").filter({ hasText: address });
    await row.waitFor();
    const first = await invitationLink(address);
    await row.getByRole("button", { name: `Resend the invitation to ${address}` }).click();
    await detail.getByRole("status").filter({ hasText: `Invitation sent again to ${address}` }).waitFor();
    await deliverMail(server);
    const resent = await smtp.waitFor(address, 1);
    expect(linkToken(resent, "/accept-invitation")).not.toBe(new URL(first).searchParams.get("token"));
    await row.getByRole("button", { name: `Revoke the invitation to ${address}` }).click();
    await row.waitFor({ state: "detached" });

    // The invited ADMIN becomes a MEMBER: the owner's table and the member's own list say so.
    const member = detail.getByTestId("member").filter({ hasText: invited });
    await member.getByLabel(`Role of ${invited}`).selectOption("MEMBER");
    await inviteePage.reload();
    const theirs = inviteePage.getByRole("region", { name: "Organizations" });
    await theirs.getByTestId("organization").filter({ hasText: "Acme Rockets" }).filter({ hasText: "member" }).waitFor();
    expect(await member.getByLabel(`Role of ${invited}`).inputValue()).toBe("MEMBER");

    // The only owner cannot leave (CONFLICT), and says why.
    await detail.getByRole("button", { name: "Leave this organization" }).click();
    await detail.getByRole("alert").filter({ hasText: "CONFLICT" }).waitFor();

    // The member leaves from their own screen: the organization disappears from their list, and from the owner's table.
    await theirs.getByRole("button", { name: "Open Acme Rockets" }).click();
    await theirs.getByRole("region", { name: "Acme Rockets" }).getByRole("button", { name: "Leave this organization" }).click();
    await theirs.getByText("You are not a member of any organization yet.").waitFor();
    await ownerPage.reload();
    await organizations.getByRole("button", { name: "Open Acme Rockets" }).click();
    await detail.getByTestId("member").filter({ hasText: owner.username }).waitFor();
    await member.waitFor({ state: "detached" });

    // The owner removes the member who signed up from the link: the owner is left alone.
    await detail.getByRole("button", { name: `Remove ${newcomer.username}` }).click();
    await detail.getByTestId("member").filter({ hasText: newcomer.username }).waitFor({ state: "detached" });
    await detail.getByRole("heading", { name: "Members (1)" }).waitFor();
    await screenshot(ownerPage, "spa-organization-after-leave");

    // The CONFLICT above was shown in the page, not logged as an error.
    expectNoPageErrors();
  });

  it("pages through the members 20 at a time", async () => {
    // 24 more members, inserted straight into the database (they never sign in), joined after the owner.
    const seeded = await seedUsers(server, Array.from({ length: 24 }, (_, i) => ({ username: `${newcomerName}_m${String(i).padStart(2, "0")}` })));
    const prisma = server.app.database.prisma;
    const organization = await prisma.organization.findFirstOrThrow({ where: { name: "Acme Rockets" }, select: { id: true } });
    const start = server.clock.now().getTime() + 60_000;
    await prisma.membership.createMany({
      data: seeded.map((user, i) => ({ organizationId: organization.id, userId: user.id, role: "MEMBER" as const, createdAt: new Date(start + i * 1000) })),
    });

    const organizations = ownerOrganizations();
    const detail = organizations.getByRole("region", { name: "Acme Rockets" });
    await ownerPage.reload();
    await organizations.getByRole("button", { name: "Open Acme Rockets" }).click();
    await detail.getByRole("heading", { name: "Members (25)" }).waitFor();
    const rows = detail.getByTestId("member");
    await rows.nth(19).waitFor();
    expect(await rows.count()).toBe(20);
    await detail.getByRole("button", { name: "More members" }).click();
    await rows.nth(24).waitFor();
    expect(await rows.count()).toBe(25);
    // The second page follows the first, each member once, and no page is left.
    const names = (await rows.locator("td:first-child").allTextContents()).map((text) => text.replace(" (you)", ""));
    expect(names).toEqual([owner.username, ...seeded.map((user) => user.username)]);
    expect(await detail.getByRole("button", { name: "More members" }).count()).toBe(0);
    expectNoPageErrors();
  });
});
