import { registerEnumType } from "type-graphql";
import { Role } from "../generated/prisma/enums";

export { Role };

export enum TwoFactorMethod {
  TOTP = "TOTP",
  HOTP = "HOTP",
  RECOVERY_CODE = "RECOVERY_CODE",
}

registerEnumType(Role, { name: "Role" });
registerEnumType(TwoFactorMethod, { name: "TwoFactorMethod" });
