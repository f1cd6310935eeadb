import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { type DocumentNode, getOperationAST, GraphQLError, type GraphQLSchema, parse, specifiedRules, validate } from 'graphql';
import { CloseCode, type Context as WsContext } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { AccessTokens, type Authenticated, Authenticator, isApiKeySecret } from '@sharepool/auth';
import { AppConfig } from '@sharepool/config';
import { DatabaseChanges } from '@sharepool/database';
import { DomainError, requireMember } from '@sharepool/kernel';
import { Metrics } from '@sharepool/observability';
import { formatGraphqlError } from '../graphql/error-formatter.js';
import { GRAPHQL_PATH } from '../graphql/graphql-api.module.js';
import { LoaderRegistry } from '../graphql/loader-registry.js';
import { aliasLimit, depthLimit, QUERY_LIMITS } from '../graphql/query-limits.js';
import type { LiveConnection, LiveContext } from './live-hub.js';
import { LiveHub } from './live-hub.js';

/** Subscriptions one connection may have open at once. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 5;
/** Bytes a client may leave unread in its socket before it is dropped as too slow. */
const MAX_UNREAD_BYTES = 256 * 1024;
const MAX_MESSAGE_BYTES = 64 * 1024;
const KEEP_ALIVE_MS = 30_000;
/** API keys have no expiry and no change notification when revoked: their connections are checked this often. */
const RECHECK_KEYS_MS = 60_000;

/** What one WebSocket connection knows about itself. */
interface Connection extends LiveConnection {
  readonly socket: WebSocket;
  readonly request: IncomingMessage;
  /** The credentials it authenticated with, to check them again. */
  token?: string;
  memberId?: string;
  expiry?: NodeJS.Timeout;
}

type Extra = { socket: WebSocket; request: IncomingMessage; connection?: Connection };

/**
 * GraphQL subscriptions over WebSocket on /graphql, with the graphql-ws
 * protocol (Apollo Server answers HTTP only; this serves the same schema).
 *
 * - Authentication is in `connection_init`: `{ "authorization": "Bearer <token>" }`,
 *   a member's access token or an API key with READ. A token that expires, a
 *   member suspended or whose role changes, a key revoked: the connection is
 *   closed (4403, the client may reconnect with fresh credentials).
 * - Bounded: LIVE_MAX_CONNECTIONS per process (more are refused with 503 at the
 *   upgrade), 5 subscriptions per connection, 64 kB per message, and a client
 *   that reads too slowly is dropped (1013), never buffered without end.
 * - Only subscriptions: queries and mutations go by HTTP, where the cost
 *   limit, cookies and the rest of the pipeline apply.
 *
 * The upgrade never passes through the Express pipeline (helmet, body
 * parsers): Node hands it to this server directly.
 */
@Injectable()
export class LiveServer implements OnApplicationShutdown {
  private readonly logger = new Logger('LiveServer');
  private wss: WebSocketServer | undefined;
  private disposable: { dispose(): void | Promise<void> } | undefined;
  private readonly connections = new Set<Connection>();
  private nextId = 1;
  private stopWatching: (() => void) | undefined;
  private recheckTimer: NodeJS.Timeout | undefined;
  private httpServer: Server | undefined;
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head);

  constructor(
    private readonly config: AppConfig,
    private readonly hub: LiveHub,
    private readonly tokens: AccessTokens,
    private readonly authenticator: Authenticator,
    private readonly changes: DatabaseChanges,
    metrics: Metrics,
  ) {
    metrics.gauge('sharepool_live_connections', 'WebSocket connections open in this process', [], async (gauge) => {
      gauge.set(this.connections.size);
    });
  }

  /** Starts serving subscriptions on `server`'s upgrades to /graphql. */
  attach(server: Server, schema: GraphQLSchema): void {
    this.httpServer = server;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false, clientTracking: true });
    this.disposable = useServer<Record<string, unknown>, Extra>(
      {
        schema,
        connectionInitWaitTimeout: 10_000,
        onConnect: (ctx) => this.connect(ctx),
        onSubscribe: (ctx, id, payload) => this.operation(ctx, schema, id, payload),
        onNext: (ctx, _id, _payload, _args, result) => {
          const socket = ctx.extra.socket;
          if (socket.bufferedAmount > MAX_UNREAD_BYTES) {
            socket.terminate();
            return undefined;
          }
          return result.errors ? { ...result, errors: result.errors.map((e) => formatGraphqlError(e.toJSON(), e)) } : undefined;
        },
        onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatGraphqlError(e.toJSON(), e)),
        onClose: (ctx) => this.disconnected(ctx.extra.connection),
        onDisconnect: (ctx) => this.disconnected(ctx.extra.connection),
      },
      this.wss,
      KEEP_ALIVE_MS,
    );
    server.on('upgrade', this.onUpgrade);
    this.stopWatching = this.changes.watch((topic, key) => {
      if (topic === 'member') void this.recheck((c) => key === '*' || c.memberId === key);
    });
    this.recheckTimer = setInterval(() => void this.recheck((c) => !!c.token && isApiKeySecret(c.token)), RECHECK_KEYS_MS);
    this.recheckTimer.unref();
    void this.hub.ready().catch((error: Error) => this.logger.warn(`live events are not heard yet: ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    this.httpServer?.off('upgrade', this.onUpgrade);
    this.stopWatching?.();
    clearInterval(this.recheckTimer);
    for (const connection of this.connections) clearTimeout(connection.expiry);
    await Promise.resolve(this.disposable?.dispose()).catch(() => undefined);
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '').split('?')[0];
    if (path !== GRAPHQL_PATH || !this.wss) return refuse(socket, 404, 'Not Found');
    if (this.wss.clients.size >= this.config.liveMaxConnections) return refuse(socket, 503, 'Service Unavailable');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss!.emit('connection', ws, req));
  }

  /** connection_init: who the connection acts for, or 4403 with the reason. */
  private async connect(ctx: WsContext<Record<string, unknown>, Extra>): Promise<boolean> {
    const { socket, request } = ctx.extra;
    const connection: Connection = {
      id: this.nextId++,
      socket,
      request,
      actor: { kind: 'anonymous' },
      close: (code, reason) => socket.close(code, reason),
    };
    const header = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
    const token = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
    try {
      if (!token) throw new GraphQLError('connection_init needs { "authorization": "Bearer <token>" }');
      const authenticated = await this.authenticate(token);
      connection.actor = requireMember(authenticated.actor, 'READ');
      connection.memberId = authenticated.member.id;
      connection.token = token;
    } catch (error) {
      if (!(error instanceof DomainError || error instanceof GraphQLError)) throw error;
      socket.close(CloseCode.Forbidden, limitReason(error.message));
      return false;
    }
    const expiresAt = isApiKeySecret(token) ? null : this.tokens.verify(token)?.expiresAt;
    if (expiresAt) {
      connection.expiry = setTimeout(
        () => connection.close(CloseCode.Forbidden, 'The access token expired: reconnect with a fresh one'),
        Math.max(0, expiresAt.getTime() - Date.now()),
      );
      connection.expiry.unref();
    }
    ctx.extra.connection = connection;
    this.connections.add(connection);
    return true;
  }

  private async authenticate(token: string): Promise<Authenticated> {
    if (isApiKeySecret(token)) return this.authenticator.fromApiKey(token);
    const verified = this.tokens.verify(token);
    if (!verified) throw new GraphQLError('The bearer token is not valid or has expired: refresh it or sign in again');
    return this.authenticator.fromAccessToken(verified.memberId);
  }

  /** Checks the credentials of the connections `which` picks again; those no longer good (or whose role changed) are closed. */
  private async recheck(which: (connection: Connection) => boolean): Promise<void> {
    for (const connection of [...this.connections].filter(which)) {
      try {
        const { actor } = await this.authenticate(connection.token!);
        const before = connection.actor.kind === 'member' ? connection.actor.role : undefined;
        if (actor.role !== before) connection.close(CloseCode.Forbidden, 'Your role changed: reconnect');
      } catch (error) {
        if (!(error instanceof DomainError || error instanceof GraphQLError)) {
          this.logger.warn(`could not check a live connection's credentials again: ${(error as Error).message}`);
          continue;
        }
        connection.close(CloseCode.Forbidden, limitReason(error.message));
      }
    }
  }

  private disconnected(connection: Connection | undefined): void {
    if (!connection) return;
    clearTimeout(connection.expiry);
    this.connections.delete(connection);
  }

  /** A subscribe message: a valid subscription within the limits, with its context; errors otherwise. */
  private operation(
    ctx: WsContext<Record<string, unknown>, Extra>,
    schema: GraphQLSchema,
    _id: string,
    payload: { query: string; variables?: Record<string, unknown> | null; operationName?: string | null },
  ) {
    const connection = ctx.extra.connection;
    if (!connection) return [new GraphQLError('Not authenticated', { extensions: { code: 'UNAUTHENTICATED' } })];
    if (Object.keys(ctx.subscriptions).length > MAX_SUBSCRIPTIONS_PER_CONNECTION) {
      return [
        new GraphQLError(`A connection may have at most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions at once`, {
          extensions: { code: 'BAD_USER_INPUT', limit: MAX_SUBSCRIPTIONS_PER_CONNECTION },
        }),
      ];
    }
    let document: DocumentNode;
    try {
      document = parse(payload.query, { maxTokens: 2_000 });
    } catch (error) {
      return [new GraphQLError((error as Error).message, { extensions: { code: 'BAD_USER_INPUT' } })];
    }
    const errors = validate(schema, document, [...specifiedRules, depthLimit(QUERY_LIMITS.maxDepth), aliasLimit(QUERY_LIMITS.maxAliases)]);
    if (errors.length) return errors.map((e) => new GraphQLError(e.message, { extensions: { ...e.extensions, code: 'BAD_USER_INPUT' } }));
    const operation = getOperationAST(document, payload.operationName ?? undefined);
    if (operation?.operation !== 'subscription') {
      return [
        new GraphQLError('Only subscriptions are served over WebSocket; send queries and mutations by HTTP', {
          extensions: { code: 'BAD_USER_INPUT' },
        }),
      ];
    }
    const context: LiveContext = {
      req: connection.request as never,
      res: undefined as never,
      requestId: randomUUID(),
      actor: connection.actor,
      loaders: new LoaderRegistry(),
      live: connection,
    };
    return {
      schema,
      document,
      variableValues: payload.variables ?? undefined,
      operationName: payload.operationName ?? undefined,
      contextValue: context,
    };
  }
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** A WebSocket close reason is at most 123 bytes. */
function limitReason(reason: string): string {
  return Buffer.byteLength(reason) <= 123 ? reason : `${reason.slice(0, 110)}…`;
}
