import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { ApolloProvider } from "@apollo/client/react";
import { LatchkeyProvider } from "@latchkey/client/react";
import { client, latchkey } from "./apollo";
import { App } from "./App";
import "./styles.css";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <LatchkeyProvider client={latchkey}>
      <ApolloProvider client={client}>
        <App />
      </ApolloProvider>
    </LatchkeyProvider>
  </StrictMode>,
);
