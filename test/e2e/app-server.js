#!/usr/bin/env node
// Stands in for an app container on a pod's address: answers / with the version it was given
// (the image tag) and its pod, the probe paths an app built for this library serves (/readyz,
// /livez) with 200, and any other path with 404. Stops on SIGTERM.
//   usage: node app-server.js ADDRESS PORT VERSION POD
'use strict';
const http = require('http');
const [address, port, version, pod] = process.argv.slice(2);
const server = http.createServer((req, res) => {
  const probe = req.url === '/readyz' || req.url === '/livez';
  const status = probe || req.url === '/' ? 200 : 404;
  res.writeHead(status, { 'content-type': 'text/plain', 'x-app-version': version, 'x-pod': pod });
  res.end(probe ? 'ok\n' : status === 200 ? `${version} ${pod}\n` : 'not found\n');
});
server.listen(Number(port), address, () => process.stdout.write(`listening ${address}:${port}\n`));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 2000).unref();
});
