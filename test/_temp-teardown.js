// Jest global teardown: removes the run's temporary folder (see _temp-setup.js).
const fs = require('fs');

module.exports = async () => {
  const dir = process.env.WEBSTACK_JEST_TMPDIR;
  if (dir) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
};
