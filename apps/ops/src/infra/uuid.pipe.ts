import { ParseUUIDPipe } from '@nestjs/common';
import { ProblemError } from '@stockbridge/app-platform';

/** A path id that must be a UUID: 400 problem+json otherwise, before any lookup. */
export function uuidParam(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () =>
      ProblemError.of(400, 'validation-failed', `${name} must be a UUID.`, {
        errors: [`${name} must be a UUID`],
      }),
  });
}
