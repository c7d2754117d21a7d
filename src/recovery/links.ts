// The link formats of the contract. `appUrl` is APP_URL (by default PUBLIC_URL): the app that
// hosts these pages and posts the token back to the API.
export function passwordResetLink(appUrl: string, token: string): string {
  return `${appUrl}/reset-password?token=${token}`;
}

export function emailVerificationLink(appUrl: string, token: string): string {
  return `${appUrl}/verify-email?token=${token}`;
}

export function emailChangeLink(appUrl: string, token: string): string {
  return `${appUrl}/confirm-email?token=${token}`;
}

/** The app's page for reviewing sign-in methods (passkeys, linked providers, sessions); no secret in it. */
export function securityReviewLink(appUrl: string): string {
  return `${appUrl}/security`;
}
