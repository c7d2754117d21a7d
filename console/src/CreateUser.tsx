import { useState, type FormEvent } from "react";
import { useMutation } from "@apollo/client/react";
import { CreateUserMutation } from "./operations";
import type { Role } from "./gql/graphql";
import { describeError } from "./errors";
import { Link } from "./router";
import { useReauthGuard } from "./reauth";

/** ADMIN: a new account, with a first password or, without one, a set-password link by mail. */
export function CreateUser() {
  const [create, { loading }] = useMutation(CreateUserMutation);
  const guard = useReauthGuard();
  const [created, setCreated] = useState<{ id: string; username: string }>();
  const [failure, setFailure] = useState<string>();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    setFailure(undefined);
    setCreated(undefined);
    try {
      const result = await guard(() =>
        create({
          variables: {
            input: {
              username: text("username"),
              email: text("email") || null,
              password: String(form.get("password") ?? "") || null,
              role: text("role") as Role,
            },
          },
        }),
      );
      setCreated(result.data!.createUser);
      formElement.reset();
    } catch (error) {
      setFailure(describeError(error));
    }
  };
  return (
    <details className="card">
      <summary>Create a user</summary>
      <form onSubmit={submit} aria-label="Create a user" className="filters">
        <label>Username <input name="username" required minLength={3} maxLength={32} autoComplete="off" /></label>
        <label>E-mail <input name="email" type="email" autoComplete="off" /></label>
        <label>
          Password (optional)
          <input name="password" type="password" autoComplete="new-password" aria-describedby="create-password-hint" />
        </label>
        <label>
          Role
          <select name="role" defaultValue="USER">
            <option value="USER">User</option>
            <option value="MODERATOR">Moderator</option>
            <option value="ADMIN">Admin</option>
          </select>
        </label>
        <button type="submit" disabled={loading}>Create</button>
        <p id="create-password-hint" className="muted grow">Without a password, a link to set one is mailed to the address.</p>
        {created && (
          <p className="ok grow" role="status">
            Created <Link to={`/users/${created.id}`}>{created.username}</Link>.
          </p>
        )}
        {failure && <p className="error grow" role="alert">{failure}</p>}
      </form>
    </details>
  );
}
