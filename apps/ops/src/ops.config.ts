import { CommonConfig, IsServiceToken } from '@stockbridge/config';
import { IsOptional, Matches, registerDecorator, type ValidationArguments } from 'class-validator';
import { AdminCredentials, parseAdminTokens } from './auth/admin-credentials';

/** Refuses an OPS_ADMIN_TOKENS value that would let nobody in, or anybody, naming each problem (never a token). */
function IsAdminTokens() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isAdminTokens',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && parseAdminTokens(value).problems.length === 0,
        // loadConfig names the variable in front of the message.
        defaultMessage: (args?: ValidationArguments) =>
          parseAdminTokens(typeof args?.value === 'string' ? args.value : undefined).problems.join('; '),
      },
    });
}

export class OpsConfig extends CommonConfig {
  override PORT: number = 3020;

  /**
   * The operators (secret): `alice:<token>,bob:<token>`, each token at least 16 characters. The name is the
   * actor in the audit log; the token goes in `Authorization: Bearer`, or as the Basic password.
   */
  @IsAdminTokens()
  OPS_ADMIN_TOKENS!: string;

  /** process-reconciliation, whose runs and exceptions ops exposes to operators (unset: those routes answer 503). */
  @IsOptional()
  @Matches(/^https?:\/\/[^/]+/, { message: 'PROCESS_RECONCILIATION_URL must be an http(s):// URL' })
  PROCESS_RECONCILIATION_URL?: string;

  /** The platform's service token, presented to process-reconciliation. */
  @IsOptional()
  @IsServiceToken()
  SERVICE_TOKEN?: string;

  adminCredentials(): AdminCredentials {
    return AdminCredentials.fromEnv(this.OPS_ADMIN_TOKENS);
  }
}
