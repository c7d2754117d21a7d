import { useCallback, useState } from "react";
import { useMutation } from "@apollo/client/react";
import { VerifyEmailMutation } from "./link-operations";
import { linkToken } from "./link-token";
import { TokenLinkResult, useOnce } from "./TokenLinkResult";

/** /verify-email?token=…: confirms the address as soon as the page opens. */
export function VerifyEmail() {
  const [token] = useState(linkToken);
  const [verify, { data, error }] = useMutation(VerifyEmailMutation);
  useOnce(useCallback(() => void (token && verify({ variables: { token } }).catch(() => undefined)), [token, verify]));
  return (
    <TokenLinkResult title="Confirm your e-mail address" token={token} done={Boolean(data?.verifyEmail.emailVerified)} error={error} success="Your e-mail address is confirmed." />
  );
}
