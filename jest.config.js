'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { swcOptions } = require('./scripts/swc-options');

const transform = { '^.+\\.(ts|js)$': ['@swc/jest', { ...swcOptions(), swcrc: false }] };
// NestJS 12 ships ES modules only; Jest (before Node 24.9) cannot require them, so SWC turns them into
// CommonJS like our own code. The compiled app runs them natively (Node 22 require(esm)).
const transformIgnorePatterns = [`/node_modules/(?!(${esmPackages().map(escape).join('|')})/)`];

/** Packages under node_modules that ship ES modules only ("type": "module"). */
function esmPackages() {
  const root = path.join(__dirname, 'node_modules');
  const names = [];
  for (const entry of fs.readdirSync(root)) {
    const scoped = entry.startsWith('@')
      ? fs.readdirSync(path.join(root, entry)).map((n) => `${entry}/${n}`)
      : [entry];
    for (const name of scoped) {
      try {
        if (JSON.parse(fs.readFileSync(path.join(root, name, 'package.json'), 'utf8')).type === 'module')
          names.push(name);
      } catch {
        // not a package
      }
    }
  }
  return names;
}

function escape(name) {
  return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
const moduleNameMapper = {
  '^@stockbridge/([a-z-]+)$': '<rootDir>/libs/$1/src',
  // Generated Swagger metadata imports DTOs with nodenext-style ".js" suffixes.
  '^(\\.{1,2}/.*)\\.js$': '$1',
};
const common = {
  transform,
  transformIgnorePatterns,
  moduleNameMapper,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: [
        '<rootDir>/test/**/*.e2e-spec.ts',
        '<rootDir>/apps/**/*.integration-spec.ts',
        '<rootDir>/libs/**/*.integration-spec.ts',
      ],
      globalSetup: '<rootDir>/test/support/global-setup.js',
      slowTestThreshold: 30,
    },
  ],
  // Two cores: one worker per core keeps the real PostgreSQL and the apps from starving each other.
  maxWorkers: 2,
  // e2e suites fire thousands of real requests; unit tests finish long before this.
  testTimeout: 120_000,
};
