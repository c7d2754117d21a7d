import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { ApolloProvider } from "@apollo/client/react";
import { client } from "./apollo";
import { App } from "./App";
import { linkPage } from "./link-pages";
import "./styles.css";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <ApolloProvider client={client}>
      {linkPage(window.location.pathname) ?? <App />}
    </ApolloProvider>
  </StrictMode>,
);
