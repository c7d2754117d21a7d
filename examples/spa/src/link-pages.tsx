import type { ReactElement } from "react";
import { ResetPassword } from "./ResetPassword";
import { VerifyEmail } from "./VerifyEmail";
import { ConfirmEmailChange } from "./ConfirmEmailChange";
import { AcceptInvitation } from "./AcceptInvitation";

// The paths of the links the server mails (APP_URL/<path>?token=…); any other path is the app.
const PAGES: Record<string, () => ReactElement> = {
  "/reset-password": () => <ResetPassword />,
  "/verify-email": () => <VerifyEmail />,
  "/confirm-email": () => <ConfirmEmailChange />,
  "/accept-invitation": () => <AcceptInvitation />,
};

/** The page a mailed link opens, or null for the app itself. */
export function linkPage(pathname: string): ReactElement | null {
  return PAGES[pathname.replace(/\/+$/, "")]?.() ?? null;
}
