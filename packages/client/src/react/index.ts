export { LatchkeyProvider, useLatchkeyClient } from "./latchkey-provider.tsx";
export { useAuthState, useSignIn, useSignOut, useViewer, type Viewer } from "./hooks.ts";
