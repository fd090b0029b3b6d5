/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/_temp-setup.js',
  globalTeardown: '<rootDir>/test/_temp-teardown.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': 'ts-jest',
  },
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
