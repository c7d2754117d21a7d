import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The app calls /graphql and loads /avatars on its own origin, so the lk_* cookies
// (SameSite=Strict, httpOnly) just work; in development Vite forwards both to the server,
// /graphql's WebSocket upgrades (live session events) too.
const api = process.env.LATCHKEY_URL ?? "http://localhost:4000";
// /magic-link: the server's page a mailed sign-in link opens, when PUBLIC_URL is this app's origin.
const proxy = { "/graphql": { target: api, ws: true }, "/avatars": api, "/magic-link": api };

export default defineConfig({
  plugins: [react()],
  // @latchkey/client is linked from packages/client: one copy of Apollo, React and graphql,
  // this app's, as if the package were installed here.
  resolve: { preserveSymlinks: true },
  server: { proxy },
  preview: { proxy },
});
