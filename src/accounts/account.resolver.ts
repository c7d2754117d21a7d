import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { RegisterInput, RegisterPayload } from "./register.input";
import { User } from "./user.type";

@Resolver()
export class AccountResolver {
  @Mutation(() => RegisterPayload)
  async register(@Arg("input", () => RegisterInput) input: RegisterInput, @Ctx() ctx: GraphQLContext): Promise<RegisterPayload> {
    const user = await ctx.services.accounts.register(input, ctx.origin);
    ctx.provenUserIds.add(user.id);
    return { userId: user.id, user };
  }

  @Authorized()
  @Query(() => User)
  me(@Ctx() ctx: GraphQLContext): User {
    return ctx.viewer!.user;
  }
}
