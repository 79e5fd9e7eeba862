import { Body, Controller, Headers, HttpCode, Post, Res, UseFilters } from '@nestjs/common';
import {
  ApiBasicAuth,
  ApiSecurity,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { BACKENDS, type Backend } from '../faults/faults';
import { NativeError, NativeErrorFilter } from '../infra/native-error';
import { issueToken, parseBasic, sameSecret } from './native-credentials';
import { SandboxAuth } from './sandbox-auth';

export class TokenRequestInput {
  @ApiProperty({ enum: ['client_credentials'] })
  @IsIn(['client_credentials'], { message: 'grant_type must be client_credentials' })
  grant_type!: string;

  /** Space-separated scopes; echoed, not enforced. */
  @ApiPropertyOptional({ example: 'erp' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  scope?: string;

  /** The client id, when the client does not authenticate with HTTP basic. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(256)
  client_id?: string;

  /** The client secret, when the client does not authenticate with HTTP basic. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(512)
  client_secret?: string;
}

export class TokenView {
  @ApiProperty() access_token!: string;
  @ApiProperty({ enum: ['Bearer'] }) token_type!: 'Bearer';
  @ApiProperty({ example: 3600 }) expires_in!: number;
  @ApiPropertyOptional() scope?: string;
}

/**
 * The OAuth 2.0 token endpoint of the backends whose native API uses the client credentials grant
 * (RFC 6749 §4.4). Takes its parameters as JSON (every sandbox route is JSON-only); answers and refuses in
 * the RFC's format (`{"error":"invalid_client"}`), not problem+json.
 */
@ApiTags('oauth')
@Controller('oauth')
@UseFilters(NativeErrorFilter)
export class TokenController {
  constructor(private readonly auth: SandboxAuth) {}

  @Post('token')
  @HttpCode(200)
  @ApiBasicAuth()
  @ApiSecurity({})
  @ApiOperation({
    operationId: 'issueToken',
    summary: 'An access token for a backend configured with oauth2 (client credentials grant)',
    description:
      'The client authenticates with HTTP basic (client id and secret), or with client_id and client_secret in the body. ' +
      'Tokens are signed with the client secret: changing it revokes them.',
  })
  @ApiResponse({ status: 200, type: TokenView })
  @ApiResponse({ status: 401, description: '`{"error":"invalid_client"}`: unknown client or wrong secret' })
  issueToken(
    @Body() input: TokenRequestInput,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): TokenView {
    const basic = parseBasic(authorization);
    const clientId = basic ? safeDecode(basic[0]) : (input.client_id ?? '');
    const secret = basic ? safeDecode(basic[1]) : (input.client_secret ?? '');
    const backend = this.clientBackend(clientId, secret);
    if (!backend)
      throw new NativeError(
        401,
        { error: 'invalid_client', error_description: 'Unknown client or wrong secret.' },
        { 'www-authenticate': 'Basic realm="oauth"', 'cache-control': 'no-store' },
      );
    const credential = this.auth.credentials[backend] as { clientSecret: string };
    const ttl = this.auth.config.SANDBOX_TOKEN_TTL_SECONDS;
    void reply.header('cache-control', 'no-store');
    return {
      access_token: issueToken(backend, credential.clientSecret, Date.now() + ttl * 1000),
      token_type: 'Bearer',
      expires_in: ttl,
      ...(input.scope ? { scope: input.scope } : {}),
    };
  }

  /** The backend whose oauth2 client this is, checking every one (no early exit on the id). */
  private clientBackend(clientId: string, secret: string): Backend | null {
    let found: Backend | null = null;
    for (const backend of BACKENDS) {
      const c = this.auth.credentials[backend];
      if (c?.kind !== 'oauth2') continue;
      const ok = sameSecret(clientId, c.clientId) && sameSecret(secret, c.clientSecret);
      if (ok && found === null) found = backend;
    }
    return found;
  }
}

/** RFC 6749 §2.3.1 form-encodes the client id and secret before basic encoding. */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
