// What admin/ offers the other features; they import from here, not from its files.
export { AdminResolver } from "./admin.resolver";
export { createAdmin } from "./create-admin";
export { adminConsole, serveAdminConsole } from "./console.route";
export { ImpersonationResolver } from "./impersonation.resolver";
export { ImpersonationService } from "./impersonation.service";
