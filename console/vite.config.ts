import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The server serves the built console at /admin (src/admin/console.route.ts) on its own origin,
// so the lk_* cookies (SameSite=Strict, httpOnly) just work. In development Vite forwards the
// API to a running server.
const api = process.env.LATCHKEY_URL ?? "http://localhost:4000";
const proxy = { "/graphql": { target: api, ws: true }, "/avatars": api };

export default defineConfig({
  base: "/admin/",
  plugins: [react()],
  // @latchkey/client is linked from packages/client: one copy of Apollo, React and graphql,
  // this app's, as if the package were installed here.
  resolve: { preserveSymlinks: true },
  server: { proxy },
  preview: { proxy },
  build: {
    outDir: "dist",
    // Hashed file names under /admin/assets/ are cached for good; index.html is not cached.
    assetsDir: "assets",
    // No inline scripts or data: URLs under the server's Content-Security-Policy.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
