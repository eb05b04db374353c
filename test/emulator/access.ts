/**
 * Who may talk to the emulator: anyone (default), holders of one fixed token,
 * and/or a static user who logs in for a JWT-shaped token, as YDB's
 * `enforce_user_token_requirement` + static credentials do.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { GrpcFailure, YdbFailure } from './status.js';

export interface AccessOptions {
  /** A token every call must carry in `x-ydb-auth-ticket`. */
  token?: string;
  /** Static credentials accepted by `AuthService/Login`. */
  user?: string;
  password?: string;
}

/** YDB's login tokens live 12 hours. */
const TOKEN_LIFETIME_SECONDS = 12 * 60 * 60;

export class Access {
  private readonly secret = randomBytes(32);

  constructor(private readonly options: AccessOptions = {}) {
    if ((options.user === undefined) !== (options.password === undefined)) {
      throw new TypeError('emulator access: give both `user` and `password`, or neither');
    }
  }

  /** True when calls without a valid token are refused. */
  get required(): boolean {
    return this.options.token !== undefined || this.options.user !== undefined;
  }

  /** `AuthService/Login`: a signed token for the configured user, or UNAUTHORIZED as YDB answers. */
  login(user: string, password: string): string {
    // Not YDB's words: a login against an emulator started without users can never work, so say why.
    if (this.options.user === undefined) throw YdbFailure.of('UNAUTHORIZED', 'Invalid user: this test emulator has no users; log in anonymously, or start it with --user and --password (make emulator EMULATOR_USER=U EMULATOR_PASSWORD=P)');
    if (user !== this.options.user) throw YdbFailure.of('UNAUTHORIZED', 'Invalid user');
    if (password !== this.options.password) throw YdbFailure.of('UNAUTHORIZED', 'Invalid password');
    const now = Math.floor(Date.now() / 1000);
    const header = encodeJson({ alg: 'HS256', typ: 'JWT' });
    // The sdk reads `exp` from the payload to know when to log in again.
    const payload = encodeJson({ sub: user, iat: now, exp: now + TOKEN_LIFETIME_SECONDS });
    return `${header}.${payload}.${this.sign(`${header}.${payload}`)}`;
  }

  /** Throws the gRPC failure YDB answers with when the ticket does not grant access. */
  check(ticket: string | undefined): void {
    if (!this.required) return;
    if (ticket === undefined || ticket === '') throw GrpcFailure.unauthenticated('Access denied without user token');
    if (ticket === this.options.token || this.isValidLoginToken(ticket)) return;
    throw GrpcFailure.unauthenticated('Token is not valid');
  }

  private isValidLoginToken(ticket: string): boolean {
    if (this.options.user === undefined) return false;
    const [header, payload, signature, ...rest] = ticket.split('.');
    if (!header || !payload || !signature || rest.length > 0) return false;
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: string; exp?: number };
    return claims.sub === this.options.user && typeof claims.exp === 'number' && claims.exp > Date.now() / 1000;
  }

  private sign(data: string): string {
    return createHmac('sha256', this.secret).update(data).digest('base64url');
  }
}

function encodeJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
