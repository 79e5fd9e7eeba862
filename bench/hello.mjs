// A minimal Nest 12 hello-world app: the baseline the storefront's figures are compared with.
//
//   node bench/hello.mjs [fastify|express] [port] [modules-dir]
//
// `modules-dir` is the directory whose node_modules provide @nestjs/* (the repository by default). The
// Express variant needs @nestjs/platform-express, which the repository does not depend on: install it in a
// scratch directory (see docs/adr/0001-fastify-adapter.md) and pass that directory.
// Nest 12 is ESM-only and this file is plain JavaScript, so the decorators are applied by calling them.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const adapterName = process.argv[2] ?? 'fastify';
const port = Number(process.argv[3] ?? 3900);
const modulesDir = path.resolve(
  process.argv[4] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'),
);
const requireFrom = createRequire(path.join(modulesDir, 'package.json'));
const load = (name) => import(pathToFileURL(requireFrom.resolve(name)).href);

await load('reflect-metadata');
const { Controller, Get, Module } = await load('@nestjs/common');
const { NestFactory } = await load('@nestjs/core');

class HelloController {
  hello() {
    return 'Hello World!';
  }
}
Controller()(HelloController);
Get()(
  HelloController.prototype,
  'hello',
  Object.getOwnPropertyDescriptor(HelloController.prototype, 'hello'),
);

class HelloModule {}
Module({ controllers: [HelloController] })(HelloModule);

let app;
if (adapterName === 'fastify') {
  const { FastifyAdapter } = await load('@nestjs/platform-fastify');
  app = await NestFactory.create(HelloModule, new FastifyAdapter(), { logger: false });
} else if (adapterName === 'express') {
  const { ExpressAdapter } = await load('@nestjs/platform-express');
  app = await NestFactory.create(HelloModule, new ExpressAdapter(), { logger: false });
} else {
  throw new Error(`unknown adapter "${adapterName}" (fastify or express)`);
}
await app.listen(port, '127.0.0.1');
const { version } = requireFrom('@nestjs/core/package.json');
console.log(JSON.stringify({ ready: true, adapter: adapterName, port, nest: version }));

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    void app.close().finally(() => process.exit(0));
  });
}
