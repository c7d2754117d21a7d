// `npm run bench -- <name> [args...]`: runs one benchmark scenario. Not part of `npm test`.
// Each scenario module exports `run(args: string[]): Promise<void>`; add new ones to the map.
import "reflect-metadata";

type Scenario = { run(args: string[]): Promise<void> };

const scenarios: Record<string, () => Promise<Scenario>> = {
  login: () => import("./login"),
  me: () => import("./me"),
  "me-storm": () => import("./me-storm"),
  "me-pat": () => import("./me-pat"),
  "oidc-client-credentials": () => import("./oidc-client-credentials"),
  "oidc-refresh": () => import("./oidc-refresh"),
  refresh: () => import("./refresh"),
  search: () => import("./search"),
  "organization-members": () => import("./organization-members"),
};

async function main() {
  const [name, ...args] = process.argv.slice(2);
  const load = name ? scenarios[name] : undefined;
  if (!load) {
    console.error(`usage: npm run bench -- <${Object.keys(scenarios).join("|")}>`);
    process.exit(2);
  }
  await (await load()).run(args);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
