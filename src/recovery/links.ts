/** The link formats of the contract; a front end hosts these pages and posts the token back. */
export function passwordResetLink(publicUrl: string, token: string): string {
  return `${publicUrl}/reset-password?token=${token}`;
}

export function emailVerificationLink(publicUrl: string, token: string): string {
  return `${publicUrl}/verify-email?token=${token}`;
}

export function emailChangeLink(publicUrl: string, token: string): string {
  return `${publicUrl}/confirm-email?token=${token}`;
}

/** The app's page for reviewing sign-in methods (passkeys, linked providers, sessions); no secret in it. */
export function securityReviewLink(publicUrl: string): string {
  return `${publicUrl}/security`;
}
