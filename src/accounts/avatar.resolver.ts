import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { FileUpload } from "graphql-upload/processRequest.mjs";
import type { GraphQLContext } from "../graphql/context";
import { Upload } from "../graphql/scalars";
import { User } from "./user.types";
import { TokenScope } from "../graphql/token-scope";

@Resolver()
export class AvatarResolver {
  /** A GraphQL multipart request (the `apollo-require-preflight: true` header is required). */
  @Authorized()
  @TokenScope("write:profile")
  @Mutation(() => User, {
    description:
      "Sets the signed-in user's avatar from an image sent as a GraphQL multipart request (with the apollo-require-preflight: true header). PNG stays PNG, JPEG stays JPEG; stored as <userId>.png / <userId>.jpg, scaled down to at most 512 pixels a side, metadata removed. Errors: PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE for anything but PNG or JPEG, RATE_LIMITED (RATE_LIMIT_UPLOAD_AVATAR, default 10 a minute).",
  })
  async uploadAvatar(
    @Arg("file", () => Upload, {
      description: "The image, PNG or JPEG: at most MAX_AVATAR_BYTES (default 2 MiB) and 4096 x 4096 pixels, else PAYLOAD_TOO_LARGE.",
    })
    file: Promise<FileUpload>,
    @Ctx() ctx: GraphQLContext,
  ): Promise<User> {
    const upload = await file;
    return ctx.services.avatars.upload(ctx.viewer!.user.id, () => upload.createReadStream(), ctx.origin);
  }

  @Authorized()
  @TokenScope("write:profile")
  @Mutation(() => User, {
    description:
      "Removes the signed-in user's uploaded avatar. The file is deleted; its URL then answers 404, and avatarUrl falls back to a linked provider's picture, if any.",
  })
  removeAvatar(@Ctx() ctx: GraphQLContext): Promise<User> {
    return ctx.services.avatars.remove(ctx.viewer!.user.id, ctx.origin);
  }
}
