// The parts of oidc-provider (which ships no type declarations) that this server and its tests use.
// Interaction details and payloads are the engine's free-form JSON, typed loosely on purpose.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare module "oidc-provider" {
  type Req = import("node:http").IncomingMessage;
  type Res = import("node:http").ServerResponse;

  export interface InteractionDetails {
    uid: string;
    prompt: { name: string; details: Record<string, any>; reasons?: string[] };
    params: Record<string, any>;
    session?: { accountId: string; uid?: string; cookie?: string };
    grantId?: string;
    lastSubmission?: Record<string, any>;
    returnTo?: string;
    exp?: number;
  }

  export interface GrantInstance {
    jti?: string;
    accountId?: string;
    clientId?: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    getOIDCScope(): string;
    save(ttl?: number): Promise<string>;
    destroy(): Promise<void>;
  }

  /** What the engine's hooks (findAccount, loadExistingGrant, page sources) receive: koa's context with `oidc`. */
  export interface EngineContext {
    type: string;
    status: number;
    body: any;
    host: string;
    path: string;
    cookies: { secure: boolean };
    oidc: {
      route?: string;
      client?: ProviderClient;
      session?: { uid?: string; accountId?: string; grantIdFor(clientId: string): string | undefined };
      result?: { consent?: { grantId?: string }; login?: { accountId?: string; latchkeySession?: unknown } };
      provider: Provider;
      requestParamScopes?: Set<string>;
      requestParamClaims?: Set<string>;
    };
  }

  export interface ProviderClient {
    clientId: string;
    clientSecret?: string;
    clientAuthMethod: string;
    redirectUris: string[];
    [key: string]: any;
  }

  export class errors {
    static InvalidGrant: new (description?: string) => Error;
    static InvalidClient: new (description?: string) => Error;
    static AccessDenied: new (description?: string) => Error;
    static InvalidRequest: new (description?: string) => Error;
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    issuer: string;
    proxy: boolean;
    callback(): (req: Req, res: Res) => void;
    use(middleware: (ctx: EngineContext, next: () => Promise<void>) => Promise<void>): void;
    on(event: string, listener: (...args: any[]) => void): void;
    interactionDetails(req: Req, res: Res): Promise<InteractionDetails>;
    interactionFinished(req: Req, res: Res, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
    interactionResult(req: Req, res: Res, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<string>;
    Grant: {
      new (init: { accountId: string; clientId: string }): GrantInstance;
      find(id: string): Promise<GrantInstance | undefined>;
    };
    Client: {
      prototype: { compareClientSecret(this: ProviderClient, actual: string): boolean | Promise<boolean> };
      find(id: string): Promise<ProviderClient | undefined>;
    };
    Session: { find(id: string): Promise<any>; findByUid(uid: string): Promise<any> };
    Interaction: { find(id: string): Promise<any> };
  }
}
