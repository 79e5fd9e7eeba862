import { IsString, MinLength } from 'class-validator';
import { CommonConfig } from './common.config';

/**
 * Validates SERVICE_TOKEN, the platform's shared secret between layers: one place for its rule and boot
 * message. Combine with @IsOptional() where an app may run without it.
 */
export function IsServiceToken(): PropertyDecorator {
  // Applied in the order `@IsString() @MinLength(…)` decorators run (bottom first), so messages list alike.
  return (target, propertyKey) => {
    MinLength(16, { message: 'SERVICE_TOKEN must be at least 16 characters' })(target, propertyKey as string);
    IsString()(target, propertyKey as string);
  };
}

/** Settings of an app that calls, or is called by, another layer of the platform with the service token. */
export class ServiceClientConfig extends CommonConfig {
  /**
   * Secret shared by the platform's layers: presented as `Authorization: Bearer <token>` to the internal APIs
   * this app calls, and required on the internal API it serves (if any). Never sent to outside clients.
   */
  @IsServiceToken()
  SERVICE_TOKEN!: string;
}
