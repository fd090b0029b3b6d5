/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // ts-jest's transform cache in the checkout, not the machine's temp folder (jest_<uid>).
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
  globalSetup: '<rootDir>/test/_temp-setup.js',
  globalTeardown: '<rootDir>/test/_temp-teardown.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': 'ts-jest',
  },
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
