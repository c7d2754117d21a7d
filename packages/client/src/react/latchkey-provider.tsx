import { createContext, useContext, type ReactNode } from "react";
import type { LatchkeyClient } from "../latchkey-client.ts";

const LatchkeyContext = createContext<LatchkeyClient | undefined>(undefined);

/** Makes one Latchkey client (its auth state and flows) available to the hooks below it. */
export function LatchkeyProvider({ client, children }: { client: LatchkeyClient; children?: ReactNode }) {
  return <LatchkeyContext.Provider value={client}>{children}</LatchkeyContext.Provider>;
}

export function useLatchkeyClient(): LatchkeyClient {
  const client = useContext(LatchkeyContext);
  if (!client) throw new Error("Latchkey hooks need a <LatchkeyProvider client={...}> above them");
  return client;
}
