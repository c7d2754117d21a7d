import { useCallback, useState } from "react";
import { useMutation } from "@apollo/client/react";
import { ConfirmEmailChangeMutation } from "./link-operations";
import { linkToken } from "./link-token";
import { TokenLinkResult, useOnce } from "./TokenLinkResult";

/** /confirm-email?token=…: makes the new address the account's as soon as the page opens. */
export function ConfirmEmailChange() {
  const [token] = useState(linkToken);
  const [confirm, { data, error }] = useMutation(ConfirmEmailChangeMutation);
  useOnce(useCallback(() => void (token && confirm({ variables: { token } }).catch(() => undefined)), [token, confirm]));
  return (
    <TokenLinkResult
      title="Confirm your new e-mail address"
      token={token}
      done={Boolean(data?.confirmEmailChange.emailVerified)}
      error={error}
      success="Your new e-mail address is confirmed: it is now your account's address."
    />
  );
}
