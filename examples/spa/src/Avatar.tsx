import type { ChangeEvent } from "react";
import { useMutation } from "@apollo/client/react";
import { RemoveAvatarMutation, UploadAvatarMutation } from "./operations";
import type { ViewerFieldsFragment } from "./gql/graphql";
import { describeError } from "./errors";

/** Shows the avatar and uploads a new one as a GraphQL multipart request (apollo-upload-client). */
export function Avatar({ me }: { me: ViewerFieldsFragment }) {
  const [upload, uploading] = useMutation(UploadAvatarMutation);
  const [remove, removing] = useMutation(RemoveAvatarMutation);

  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    // The answer updates User.avatarUrl in the cache, so the new picture shows at once.
    if (file) await upload({ variables: { file } }).catch(() => undefined);
  };

  return (
    <div className="avatar">
      {me.avatarUrl ? (
        <img src={me.avatarUrl} alt="Your avatar" width={128} height={128} />
      ) : (
        <div className="placeholder" aria-label="No avatar yet">{me.username.slice(0, 1).toUpperCase()}</div>
      )}
      <label className="button">
        {uploading.loading ? "Uploading…" : "Upload a picture"}
        <input type="file" accept="image/png,image/jpeg" onChange={choose} aria-label="Avatar image" hidden />
      </label>
      {me.avatarUrl && (
        <button onClick={() => remove().catch(() => undefined)} disabled={removing.loading}>
          Remove
        </button>
      )}
      {(uploading.error || removing.error) && (
        <p className="error" role="alert">{describeError(uploading.error ?? removing.error)}</p>
      )}
    </div>
  );
}
