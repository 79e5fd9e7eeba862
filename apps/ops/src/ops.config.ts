import { CommonConfig } from '@stockbridge/config';
import { registerDecorator, type ValidationArguments } from 'class-validator';
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

  adminCredentials(): AdminCredentials {
    return AdminCredentials.fromEnv(this.OPS_ADMIN_TOKENS);
  }
}
