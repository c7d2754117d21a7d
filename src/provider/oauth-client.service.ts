import { randomBytes } from "node:crypto";
import type { OAuthClient, PrismaClient } from "../generated/prisma/client";
import { Errors } from "../common/app-error";
import type { Clock } from "../common/clock";
import { randomToken, safeEqual, sha256 } from "../common/tokens";
import { AuditEventType, type AuditOrigin, type AuditService } from "../audit";
import { checkClientRequest, type OAuthClientRequest } from "./oauth-client.rules";
import type { OAuthClientStore } from "./oauth-client.store";
import type { AuthorizedAppsStore } from "./authorized-apps.store";

export interface ClientActor {
  actorId: string;
  origin: AuditOrigin;
}

export interface ClientWithSecret {
  client: OAuthClient;
  /** Shown once, when made or rotated; stored only as its SHA-256. null for a public client. */
  clientSecret: string | null;
}

/** A client id: 144 random bits, URL-safe, 24 characters. */
export function newClientId(): string {
  return randomBytes(18).toString("base64url");
}

/** The stored form of a client secret. */
export function clientSecretHash(secret: string): string {
  return sha256(secret);
}

/**
 * Whether `secret` is the one stored as `storedHash`, compared in constant time: the one check,
 * for the token endpoint (create-provider.ts) and verifySecret. Secrets are random, so a fast
 * hash is enough.
 */
export function clientSecretMatches(secret: unknown, storedHash: unknown): boolean {
  return typeof secret === "string" && typeof storedHash === "string" && safeEqual(clientSecretHash(secret), storedHash);
}

/** ADMIN management of the OpenID Provider's clients; every change is audited in its transaction. */
export class OAuthClientService {
  constructor(
    /** Runs the transactions that write a change and its audit event together. */
    private readonly prisma: PrismaClient,
    private readonly clients: OAuthClientStore,
    private readonly grants: AuthorizedAppsStore,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    /** Told after a change commits, with the client's clientId: caches of clients forget it (see CachedProviderClients). */
    private readonly changed: (clientId: string) => void = () => undefined,
  ) {}

  list(): Promise<OAuthClient[]> {
    return this.clients.list();
  }

  findByClientId(clientId: string): Promise<OAuthClient | null> {
    return this.clients.findByClientId(clientId);
  }

  /** Whether `secret` is the client's current secret, compared in constant time; false for a public or unknown client. */
  async verifySecret(clientId: string, secret: string): Promise<boolean> {
    const client = await this.clients.findByClientId(clientId);
    return clientSecretMatches(secret, client?.secretHash);
  }

  async create(actor: ClientActor, input: OAuthClientRequest): Promise<ClientWithSecret> {
    const fields = checkClientRequest(input);
    const clientSecret = fields.public ? null : randomToken();
    const client = await this.prisma.$transaction(async (tx) => {
      const client = await this.clients.insert(tx, {
        ...fields,
        clientId: newClientId(),
        secretHash: clientSecret === null ? null : clientSecretHash(clientSecret),
        now: this.clock.now(),
      });
      await this.record(actor, AuditEventType.OAUTH_CLIENT_CREATED, { clientId: client.clientId, name: client.name, public: client.public, grantTypes: client.grantTypes }, tx);
      return client;
    });
    return { client, clientSecret };
  }

  /**
   * Replaces a client's settings with `input` (its id and secret stay). A client cannot turn
   * public or confidential: that changes how it authenticates, so it is a new client.
   */
  async update(actor: ClientActor, id: string, input: OAuthClientRequest): Promise<OAuthClient> {
    const fields = checkClientRequest(input);
    const updated = await this.prisma.$transaction(async (tx) => {
      const current = await this.clients.find(id, tx);
      if (!current) throw Errors.notFound("No such client");
      if (current.public !== fields.public) {
        throw Errors.badInput("public", "A client cannot change between public and confidential; register a new client instead");
      }
      const updated = (await this.clients.update(tx, id, fields, this.clock.now()))!;
      const changed = (Object.keys(fields) as Array<keyof typeof fields>).filter((key) => JSON.stringify(fields[key]) !== JSON.stringify(current[key]));
      await this.record(actor, AuditEventType.OAUTH_CLIENT_UPDATED, { clientId: current.clientId, fields: changed }, tx);
      return updated;
    });
    this.changed(updated.clientId);
    return updated;
  }

  /** A new secret works from now on; the old one stops at once. Tokens already issued stay valid. */
  async rotateSecret(actor: ClientActor, id: string): Promise<ClientWithSecret> {
    const clientSecret = randomToken();
    const client = await this.prisma.$transaction(async (tx) => {
      const current = await this.clients.find(id, tx);
      if (!current) throw Errors.notFound("No such client");
      if (current.public) throw Errors.badInput("id", "A public client has no secret to rotate");
      const client = (await this.clients.update(tx, id, { secretHash: clientSecretHash(clientSecret) }, this.clock.now()))!;
      await this.record(actor, AuditEventType.OAUTH_CLIENT_SECRET_ROTATED, { clientId: client.clientId }, tx);
      return client;
    });
    this.changed(client.clientId);
    return { client, clientSecret };
  }

  /** Deletes the client with every consent given to it and everything issued to it (codes, tokens, device codes). */
  async delete(actor: ClientActor, id: string): Promise<boolean> {
    const clientId = await this.prisma.$transaction(async (tx) => {
      const client = await this.clients.delete(tx, id);
      if (!client) throw Errors.notFound("No such client");
      const grants = await this.grants.deleteGrants(tx, await this.grants.grantIdsOfClient(client.clientId, tx));
      await this.grants.deleteIssuedToClient(tx, client.clientId);
      await this.record(actor, AuditEventType.OAUTH_CLIENT_DELETED, { clientId: client.clientId, name: client.name, grants }, tx);
      return client.clientId;
    });
    this.changed(clientId);
    return true;
  }

  private record(actor: ClientActor, type: AuditEventType, metadata: Record<string, unknown>, tx: Parameters<AuditService["record"]>[1]) {
    return this.audit.record({ type, userId: null, actorId: actor.actorId, origin: actor.origin, metadata }, tx);
  }
}
