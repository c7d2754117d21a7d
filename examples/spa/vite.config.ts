import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The app calls /graphql and loads /avatars on its own origin, so the lk_* cookies
// (SameSite=Strict, httpOnly) just work; in development Vite forwards both to the server.
const api = process.env.LATCHKEY_URL ?? "http://localhost:4000";
const proxy = { "/graphql": api, "/avatars": api };

export default defineConfig({
  plugins: [react()],
  server: { proxy },
  preview: { proxy },
});
