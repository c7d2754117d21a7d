// What magic-link/ offers the composition root; no other feature uses it.
export { createMagicLinks, type MagicLinks } from "./create-magic-link";
export { MagicLinkResolver } from "./magic-link.resolver";
export { magicLinkPage } from "./magic-link.page";
export { MAGIC_LINK_OTHER_BROWSER } from "./magic-link.service";
