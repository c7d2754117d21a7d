import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { FileUpload } from "graphql-upload/processRequest.mjs";
import type { GraphQLContext } from "../graphql/context";
import { Upload } from "../graphql/scalars";
import { User } from "./user.type";

@Resolver()
export class AvatarResolver {
  /** A GraphQL multipart request (the `apollo-require-preflight: true` header is required). */
  @Authorized()
  @Mutation(() => User, { description: "PNG stays PNG, JPEG stays JPEG; stored as <userId>.png / <userId>.jpg" })
  async uploadAvatar(@Arg("file", () => Upload) file: Promise<FileUpload>, @Ctx() ctx: GraphQLContext): Promise<User> {
    const upload = await file;
    return ctx.services.avatars.upload(ctx.viewer!.user.id, () => upload.createReadStream(), ctx.origin);
  }

  @Authorized()
  @Mutation(() => User, { description: "The file is deleted; its URL then answers 404" })
  removeAvatar(@Ctx() ctx: GraphQLContext): Promise<User> {
    return ctx.services.avatars.remove(ctx.viewer!.user.id, ctx.origin);
  }
}
