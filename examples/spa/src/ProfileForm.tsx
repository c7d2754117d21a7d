import { useState, type FormEvent } from "react";
import { useMutation } from "@apollo/client/react";
import { UpdateProfileMutation } from "./operations";
import type { ViewerFieldsFragment } from "./gql/graphql";
import { describeError } from "./errors";

const FIELDS = [
  ["name", "Name"],
  ["occupation", "Occupation"],
  ["hobby", "Hobby"],
  ["contact", "Contact"],
] as const;

export function ProfileForm({ me }: { me: ViewerFieldsFragment }) {
  const [update, { loading, error }] = useMutation(UpdateProfileMutation);
  const [saved, setSaved] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    const form = new FormData(event.currentTarget);
    // An empty field clears it (null), as the contract says.
    const input = Object.fromEntries(FIELDS.map(([name]) => [name, String(form.get(name) ?? "").trim() || null]));
    const result = await update({ variables: { input } }).catch(() => undefined);
    setSaved(Boolean(result?.data));
  };

  return (
    <form onSubmit={submit} className="card" aria-labelledby="profile-heading">
      <h2 id="profile-heading">Profile</h2>
      {FIELDS.map(([name, label]) => (
        <label key={name}>
          {label} <input name={name} defaultValue={me.profile[name] ?? ""} />
        </label>
      ))}
      <button type="submit" disabled={loading}>Save profile</button>
      {saved && <p className="ok" role="status">Saved.</p>}
      {error && <p className="error" role="alert">{describeError(error)}</p>}
    </form>
  );
}
