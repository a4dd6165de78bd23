/**
 * Fastify's own schema compilers (Ajv for requests, fast-json-stringify for responses), made lazy: a route's
 * validator or serializer is compiled on the route's first request instead of at start-up. The API has about sixty
 * routes; compiling them all before listening was a quarter of `serve`'s start (docs/PERFORMANCE.md). `eager`
 * compiles everything at start, as Fastify does — the test harness uses it so a broken schema fails every test run.
 */
import ajvCompiler from '@fastify/ajv-compiler';
import serializerCompiler from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type Compilers = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type Validate = ((data: unknown) => unknown) & { errors?: unknown };
type Serialize = (data: unknown) => string;
/** what Fastify calls at run time (its declared types describe Ajv's `compile`, not the route definition it passes) */
type Factory<F> = (external: unknown, options: unknown) => (route: { schema?: unknown }) => F;

/** Calls `make` on first use only. */
function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

export function schemaCompilers(mode: 'lazy' | 'eager'): Compilers {
  const validators = ajvCompiler() as unknown as Factory<Validate>;
  const serializers = serializerCompiler() as unknown as Factory<Serialize>;
  if (mode === 'eager') return { buildValidator: validators, buildSerializer: serializers } as unknown as Compilers;
  const lazy: { buildValidator: Factory<Validate>; buildSerializer: Factory<Serialize> } = {
    buildValidator: (external, options) => {
      const compiler = once(() => validators(external, options));
      return (route) => {
        const compiled = once(() => compiler()(route));
        // Fastify reads `.errors` off the function it was given after a failed validation
        const validate: Validate = (data) => {
          const fn = compiled();
          const ok = fn(data);
          validate.errors = fn.errors;
          return ok;
        };
        return validate;
      };
    },
    buildSerializer: (external, options) => {
      const compiler = once(() => serializers(external, options));
      return (route) => {
        const compiled = once(() => compiler()(route));
        return (data: unknown) => compiled()(data);
      };
    },
  };
  return lazy as unknown as Compilers;
}
