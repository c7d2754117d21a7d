import { useEffect, useRef, type ReactNode } from "react";
import type { ErrorLike } from "@apollo/client";
import { describeError } from "./errors";
import { LinkPage } from "./LinkPage";

/**
 * A link that acts on load (verify, confirm): sends its token once (a second send would find the
 * token used; React's strict mode runs effects twice in development) and shows the outcome.
 */
export function useOnce(send: () => void): void {
  const sent = useRef(false);
  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    send();
  }, [send]);
}

export function TokenLinkResult(props: { title: string; token: string; done: boolean; error?: ErrorLike; success: string }) {
  let body: ReactNode;
  if (!props.token) body = <p className="error" role="alert">This link has no token: open the link from the mail again.</p>;
  else if (props.error) body = <p className="error" role="alert">{describeError(props.error)}</p>;
  else if (props.done) body = <p className="ok" role="status">{props.success}</p>;
  else body = <p role="status">Checking the link…</p>;
  return (
    <LinkPage title={props.title}>
      {body}
      <a className="button" href="/">Go to the app</a>
    </LinkPage>
  );
}
