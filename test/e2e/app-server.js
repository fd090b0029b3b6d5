#!/usr/bin/env node
// Stands in for an app container on a pod's address: answers / and /api (and below it) with the
// version it was given (the image tag) and its pod, the probe paths an app built for this
// library serves (/readyz, /livez) with 200, and any other path with 404. A WebSocket upgrade
// (RFC 6455) is accepted on any path it answers, and echoes each text message back prefixed with
// its pod. With TLS_ECHO (PORT:CERT:KEY), it also serves TLS itself on that port, with that
// certificate, and echoes each line back prefixed with its pod: an app whose TLS a Gateway
// passes through. Stops on SIGTERM, closing its WebSockets.
//   usage: node app-server.js ADDRESS PORT VERSION POD [TLS_ECHO]
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const tls = require('tls');
const [address, port, version, pod, tlsEcho] = process.argv.slice(2);
const answers = url => url === '/' || url === '/api' || url.startsWith('/api/');
const server = http.createServer((req, res) => {
  const probe = req.url === '/readyz' || req.url === '/livez';
  const status = probe || answers(req.url) ? 200 : 404;
  res.writeHead(status, { 'content-type': 'text/plain', 'x-app-version': version, 'x-pod': pod });
  res.end(probe ? 'ok\n' : status === 200 ? `${version} ${pod}\n` : 'not found\n');
});

const sockets = new Set();
server.on('upgrade', (req, socket) => {
  const key = req.headers['sec-websocket-key'];
  if (!answers(req.url.replace(/\/live$/, '') || '/') || req.headers.upgrade?.toLowerCase() !== 'websocket' || !key) {
    socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    return;
  }
  const accept = crypto.createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-accept: ${accept}\r\nx-pod: ${pod}\r\n\r\n`);
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  socket.on('error', () => socket.destroy());
  let buffer = Buffer.alloc(0);
  socket.on('data', chunk => {
    buffer = Buffer.concat([buffer, chunk]);
    for (let frame = readFrame(buffer); frame !== undefined; frame = readFrame(buffer)) {
      buffer = buffer.subarray(frame.length);
      if (frame.opcode === 0x8) {
        socket.end(encodeFrame(0x8, Buffer.alloc(0)));
        return;
      }
      if (frame.opcode === 0x9) {
        socket.write(encodeFrame(0xa, frame.payload));
      } else if (frame.opcode === 0x1) {
        socket.write(encodeFrame(0x1, Buffer.from(`${pod} ${frame.payload.toString('utf8')}`)));
      }
    }
  });
});

/** One whole frame at the start of `buffer` (a client's frames are masked), or `undefined`. */
function readFrame(buffer) {
  if (buffer.length < 2) {
    return undefined;
  }
  const opcode = buffer[0] & 0x0f;
  const masked = (buffer[1] & 0x80) !== 0;
  let length = buffer[1] & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return undefined;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return undefined;
    length = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  const mask = masked ? buffer.subarray(offset, offset + 4) : undefined;
  offset += masked ? 4 : 0;
  if (buffer.length < offset + length) {
    return undefined;
  }
  const payload = Buffer.from(buffer.subarray(offset, offset + length));
  if (mask) {
    for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
  }
  return { opcode, payload, length: offset + length };
}

/** A server's frame: final, unmasked. */
function encodeFrame(opcode, payload) {
  const head = payload.length < 126 ? Buffer.from([0x80 | opcode, payload.length])
    : Buffer.from([0x80 | opcode, 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([head, payload]);
}

server.listen(Number(port), address, () => process.stdout.write(`listening ${address}:${port}\n`));
const echo = tlsEcho && (() => {
  const [echoPort, cert, key] = tlsEcho.split(':');
  const echoServer = tls.createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) }, socket => {
    socket.on('error', () => socket.destroy());
    let pending = '';
    socket.on('data', chunk => {
      pending += chunk.toString('utf8');
      for (let i = pending.indexOf('\n'); i >= 0; i = pending.indexOf('\n')) {
        socket.write(`${pod} ${pending.slice(0, i)}\n`);
        pending = pending.slice(i + 1);
      }
    });
  });
  echoServer.listen(Number(echoPort), address, () => process.stdout.write(`TLS echo ${address}:${echoPort}\n`));
  return echoServer;
})();
process.on('SIGTERM', () => {
  sockets.forEach(s => s.end(encodeFrame(0x8, Buffer.alloc(0))));
  echo?.close();
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 2000).unref();
});
