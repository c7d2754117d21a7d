import { githubIdentity, type GitHubEmail, type GitHubUser } from "../src/oauth/github-sign-in-provider";

// Shapes as GitHub's REST API documents them for GET /user and GET /user/emails (trimmed).
const USER: GitHubUser = {
  id: 583231,
  login: "octocat",
  name: "The Octocat",
  email: "octocat@github.com",
  avatar_url: "https://avatars.githubusercontent.com/u/583231?v=4",
};

const EMAILS: GitHubEmail[] = [
  { email: "octo.backup@example.com", primary: false, verified: true },
  { email: "octocat@github.com", primary: true, verified: true },
];

describe("GitHub user API answers as an identity", () => {
  it("takes the numeric id as subject, the login as username, and the primary verified address", () => {
    expect(githubIdentity(USER, EMAILS)).toEqual({
      subject: "583231",
      email: "octocat@github.com",
      emailVerified: true,
      name: "The Octocat",
      pictureUrl: "https://avatars.githubusercontent.com/u/583231?v=4",
      preferredUsername: "octocat",
    });
  });

  it("keeps an unverified primary address unverified, whatever else is verified", () => {
    const identity = githubIdentity(USER, [
      { email: "octocat@github.com", primary: true, verified: false },
      { email: "octo.backup@example.com", primary: false, verified: true },
    ]);
    expect(identity).toMatchObject({ email: "octocat@github.com", emailVerified: false });
  });

  it("treats the public profile address as unverified when the address list is unavailable", () => {
    expect(githubIdentity(USER, [])).toMatchObject({ email: "octocat@github.com", emailVerified: false });
    expect(githubIdentity({ ...USER, email: null }, [])).toMatchObject({ email: null, emailVerified: false });
  });

  it("drops a name of only spaces and a non-https avatar", () => {
    expect(githubIdentity({ ...USER, name: "  ", avatar_url: "http://insecure.example/a.png" }, EMAILS)).toMatchObject({
      name: null,
      pictureUrl: null,
    });
  });

  it("refuses an answer without an id", () => {
    expect(() => githubIdentity({ login: "ghost" } as GitHubUser, EMAILS)).toThrow(/no id/);
  });
});
