import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, problemType, statusTitle } from './problem';
import {
  type ProblemCode,
  problemExample,
  problemSchemaName,
  ProblemView,
  ShortageView,
} from './problem.dto';

/**
 * A status, a status and its description, or both and the documented problem codes it can carry, and the
 * response headers it declares (e.g. `{ 'Retry-After': headerRef('Retry-After') }`).
 */
export type ProblemEntry =
  | number
  | [number, string]
  | [number, string, ProblemCode[]]
  | [number, string, ProblemCode[], Record<string, ReferenceObject>];

/** Where a schema named by `problemSchemaName` lives; openApiDocument adds the schemas referenced. */
function problemRef(code: ProblemCode): ReferenceObject {
  return { $ref: `#/components/schemas/${problemSchemaName(code)}` };
}

function codedSchema(codes: ProblemCode[]): SchemaObject | ReferenceObject {
  if (codes.length === 1) return problemRef(codes[0]!);
  return {
    oneOf: codes.map(problemRef),
    discriminator: {
      propertyName: 'type',
      mapping: Object.fromEntries(codes.map((c) => [problemType(c), problemRef(c).$ref])),
    },
  };
}

/**
 * Documents problem+json responses of an operation:
 * `@ApiProblems(401, [404, 'No such reservation'], [409, 'Not enough stock', ['insufficient-stock']])`.
 * With codes, the response's schema is each code's own schema (one of them, told apart by `type`) and it has
 * an example per code; without, the generic `ProblemView`.
 */
export function ApiProblems(...entries: ProblemEntry[]) {
  const codes = entries.flatMap((e) => (Array.isArray(e) && e.length >= 3 ? e[2] : []));
  return applyDecorators(
    ApiExtraModels(
      ...(entries.some((e) => !Array.isArray(e) || e.length < 3) ? [ProblemView] : []),
      ...(codes.includes('insufficient-stock') ? [ShortageView] : []),
    ),
    ...entries.map((e) => {
      const [status, description, coded, headers] = Array.isArray(e) ? e : [e, statusTitle(e)];
      const media =
        coded && coded.length > 0
          ? {
              schema: codedSchema(coded),
              examples: Object.fromEntries(coded.map((c) => [c, { summary: c, value: problemExample(c) }])),
            }
          : {
              schema: { $ref: getSchemaPath(ProblemView) },
            };
      return ApiResponse({
        status,
        description,
        content: { [PROBLEM_CONTENT_TYPE]: media },
        ...(headers ? { headers } : {}),
      });
    }),
  );
}
