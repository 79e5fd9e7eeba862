import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, statusTitle } from './problem';

/** Documents problem+json responses of an operation: `@ApiProblems(400, 401, [404, 'No such reservation'])`. */
export function ApiProblems(...entries: (number | [number, string])[]) {
  return applyDecorators(
    ...entries.map((e) => {
      const [status, description] = Array.isArray(e) ? e : [e, statusTitle(e)];
      return ApiResponse({
        status,
        description,
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemView' } } },
      });
    }),
  );
}
