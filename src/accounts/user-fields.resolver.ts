import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { DateTime } from "../graphql/scalars";
import { SignInMethod } from "../graphql/enums";
import { Profile, User } from "./user.types";
import { hidesSecurityState } from "./security-state-visibility";
import { isDisabledAt } from "./account-ban";

type UserRow = User & { email: string | null; pendingEmail?: string | null; avatarExt: string | null; avatarVersion: number; externalAvatarUrl?: string | null };

const EMPTY_PROFILE: Profile = {
  name: null,
  contact: null,
  address: null,
  occupation: null,
  hobby: null,
  highestQualification: null,
  dateOfBirth: null,
};

/** Whether the caller may read moderation state (MODERATOR, ADMIN). */
function moderates(ctx: GraphQLContext): boolean {
  const role = ctx.viewer?.user.role;
  return role === "ADMIN" || role === "MODERATOR";
}

@Resolver(() => User)
export class UserFieldsResolver {
  /** Visible to the user themself, MODERATOR and ADMIN; null for everyone else. */
  @FieldResolver(() => String, {
    nullable: true,
    description:
      "The account's e-mail address, for sign-in, password resets and security notices. Visible to the user themself, MODERATOR and ADMIN; null for everyone else, and when the account has none. During an e-mail change it stays the old address until the new one is confirmed (see pendingEmail).",
  })
  email(@Root() user: UserRow, @Ctx() ctx: GraphQLContext): string | null {
    if (ctx.provenUserIds.has(user.id)) return user.email;
    const role = ctx.viewer?.user.role;
    return role === "ADMIN" || role === "MODERATOR" ? user.email : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "An address asked for by updateProfile and not yet confirmed through the link mailed to it (confirmEmailChange); email stays the account's address until then. Visible to the user themself and ADMIN; null for everyone else, and when no change is waiting.",
  })
  pendingEmail(@Root() user: UserRow, @Ctx() ctx: GraphQLContext): string | null {
    // Narrower than email: a MODERATOR sees where the account's mail goes, not where it may go next.
    if (ctx.provenUserIds.has(user.id) || ctx.viewer?.user.role === "ADMIN") return user.pendingEmail ?? null;
    return null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "The uploaded avatar, PUBLIC_URL/avatars/<id>.png or .jpg with a ?v=<version> that changes on every upload; without one, the picture of a linked sign-in provider; null when there is neither.",
  })
  avatarUrl(@Root() user: UserRow, @Ctx() ctx: GraphQLContext): string | null {
    // An uploaded avatar wins over a picture hosted elsewhere (a sign-in provider's).
    if (!user.avatarExt) return user.externalAvatarUrl ?? null;
    return `${ctx.services.publicUrl}/avatars/${user.id}.${user.avatarExt}?v=${user.avatarVersion}`;
  }

  @FieldResolver(() => Boolean, {
    description:
      "Whether an ADMIN disabled the account (setUserDisabled): it cannot sign in, and its sessions were revoked. A ban with an end (disabledUntil) reads false once the end has passed.",
  })
  disabled(@Root() user: UserRow, @Ctx() ctx: GraphQLContext): boolean {
    return isDisabledAt(user, ctx.services.clock.now());
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "Why an ADMIN disabled the account, as they wrote it (setUserDisabled's reason). Visible to MODERATOR and ADMIN; null for everyone else, and while the account is not disabled.",
  })
  disabledReason(@Root() user: UserRow, @Ctx() ctx: GraphQLContext): string | null {
    if (!moderates(ctx) || !isDisabledAt(user, ctx.services.clock.now())) return null;
    return user.disabledReason ?? null;
  }

  @FieldResolver(() => DateTime, {
    nullable: true,
    description:
      "When the ban ends by itself (setUserDisabled's until); null for a ban until an ADMIN enables the account. Visible to MODERATOR and ADMIN; null for everyone else, and while the account is not disabled.",
  })
  disabledUntil(@Root() user: UserRow, @Ctx() ctx: GraphQLContext): Date | null {
    if (!moderates(ctx) || !isDisabledAt(user, ctx.services.clock.now())) return null;
    return user.disabledUntil ?? null;
  }

  @FieldResolver(() => Boolean, {
    description:
      "Whether a TOTP or HOTP second factor is on, so that login answers a TwoFactorChallenge after the password. Always false to a MODERATOR reading an ADMIN account, whatever it is.",
  })
  async twoFactorEnabled(@Root() user: UserRow, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    if (hidesSecurityState(ctx, user)) return false;
    return ctx.loaders.twoFactorEnabled.load(user.id);
  }

  @FieldResolver(() => DateTime, {
    nullable: true,
    description:
      "When the account last completed a sign-in; null when it never did. Always null to a MODERATOR reading an ADMIN account, whatever it is.",
  })
  lastLoginAt(@Root() user: UserRow, @Ctx() ctx: GraphQLContext): Date | null {
    return hidesSecurityState(ctx, user) ? null : user.lastLoginAt;
  }

  @FieldResolver(() => SignInMethod, {
    nullable: true,
    description:
      "How the account's last completed sign-in proved who signed in (its first step; a second factor does not change it), so an app can suggest that method first; null when it never signed in. Refreshing a session and an ADMIN's impersonation do not change it. Always null to a MODERATOR reading an ADMIN account, whatever it is.",
  })
  lastSignInMethod(@Root() user: UserRow, @Ctx() ctx: GraphQLContext): SignInMethod | null {
    return hidesSecurityState(ctx, user) ? null : (user.lastSignInMethod ?? null);
  }

  @FieldResolver(() => Profile, { description: "The personal details; every field is null when none were given." })
  async profile(@Root() user: UserRow, @Ctx() ctx: GraphQLContext): Promise<Profile> {
    return (await ctx.loaders.profile.load(user.id)) ?? EMPTY_PROFILE;
  }
}
