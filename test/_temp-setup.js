// Jest global setup: every temporary folder the tests (and cdk8s's Testing.app()) make goes
// into one folder of this run, which the teardown removes, so the machine's temp folder is left
// as it was found. Workers and child processes inherit TMPDIR.
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'webstack-jest-'));
  process.env.WEBSTACK_JEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
  // Every manifest the library writes without the generated toJson_ functions is compared with
  // the generated one (lib/k8s/_manifest.ts), in every test.
  process.env.CDK8S_WEBSTACK_CHECK_MANIFESTS = '1';
};
