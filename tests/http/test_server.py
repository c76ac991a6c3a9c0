#!/usr/bin/env python3
"""A small HTTP/1.1 server for the tests of src/http, on 127.0.0.1 only.

Prints "PORT <n>" once listening; exits when its standard input closes (the test ended).
With --cert and --key it speaks TLS. Connections are numbered from 1 in accept order, and every
answer carries X-Connection-Id so that tests can count connections. Paths:
  /chunked          200, chunked body "hello chunked world"
  /eof              200 without Content-Length or chunking: the body ends at the close
  /big?size=N       200, N bytes of "0123456789abcdef" repeated
  /close            200, then the server closes the connection (an idle connection dies)
  /drop             200 announcing 1000 bytes, sends 10, then closes
  /hang             reads the request and never answers
  /drop-if-reused   like /echo on a new connection; on a reused one, closes without answering
  /status?code=N    that status
  anything else     200 (HEAD: no body); X-Method, X-Target, X-Body-Length, X-Body-Sha256 describe the request;
                    the body is the request's head (request line and headers) as received
"""

import argparse
import hashlib
import itertools
import os
import socket
import ssl
import sys
import threading
import urllib.parse

PATTERN = b'0123456789abcdef' * 4096  # 64 KiB


def read_request(reader):
    """Returns (method, target, head bytes, headers dict lowercase, body) or None at EOF."""
    line = reader.readline()
    if not line:
        return None
    head = line
    headers = {}
    while True:
        field = reader.readline()
        if not field:
            return None
        head += field
        if field in (b'\r\n', b'\n'):
            break
        name, _, value = field.decode('latin-1').partition(':')
        headers[name.strip().lower()] = value.strip()
    body = reader.read(int(headers.get('content-length', '0')))
    method, target, _ = line.decode('latin-1').split(' ', 2)
    return method, target, head, headers, body


def respond(sock, conn_id, status=200, body=b'', extra=(), length=True):
    head = f'HTTP/1.1 {status} Test\r\nX-Connection-Id: {conn_id}\r\n'
    if length:
        head += f'Content-Length: {len(body)}\r\n'
    for name, value in extra:
        head += f'{name}: {value}\r\n'
    sock.sendall(head.encode() + b'\r\n' + body)


def serve(sock, conn_id):
    reader = sock.makefile('rb')
    if reader.peek(1)[:1] == b'\x16':  # a TLS handshake on plain HTTP: answer as servers do
        sock.sendall(b'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
        return
    for served in itertools.count():
        request = read_request(reader)
        if request is None:
            return
        method, target, head, headers, body = request
        url = urllib.parse.urlsplit(target)
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path == '/chunked':
            sock.sendall(f'HTTP/1.1 200 OK\r\nX-Connection-Id: {conn_id}\r\n'
                         'Transfer-Encoding: chunked\r\n\r\n'.encode())
            for piece in (b'hello ', b'chunked ', b'world'):
                sock.sendall(b'%x\r\n%s\r\n' % (len(piece), piece))
            sock.sendall(b'0\r\n\r\n')
        elif url.path == '/eof':
            respond(sock, conn_id, body=b'until the end', length=False)
            return
        elif url.path == '/big':
            size = int(query['size'])
            respond(sock, conn_id, extra=[('Content-Length', size)], length=False)
            while size > 0:
                block = PATTERN[:size]
                sock.sendall(block)
                size -= len(block)
        elif url.path == '/close':
            respond(sock, conn_id, body=b'bye')
            return
        elif url.path == '/drop':
            respond(sock, conn_id, extra=[('Content-Length', 1000)], length=False)
            sock.sendall(b'0123456789')
            return
        elif url.path == '/hang':
            reader.read()  # until the client gives up
            return
        elif url.path == '/drop-if-reused' and served > 0:
            return
        elif url.path == '/status':
            code = int(query['code'])
            respond(sock, conn_id, status=code, body=f'status {code}'.encode())
        else:
            about = [('X-Method', method), ('X-Target', target), ('X-Body-Length', len(body)),
                     ('X-Body-Sha256', hashlib.sha256(body).hexdigest())]
            if method == 'HEAD':  # announces the length of the body it does not send
                respond(sock, conn_id, extra=about + [('Content-Length', len(head))], length=False)
            else:
                respond(sock, conn_id, body=head, extra=about)


def handle(sock, conn_id, tls):
    try:
        if tls:
            sock = tls.wrap_socket(sock, server_side=True)
        serve(sock, conn_id)
    except (OSError, ssl.SSLError, ValueError):
        pass  # clients that fail the handshake or hang up are part of the tests
    finally:
        sock.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--cert')
    parser.add_argument('--key')
    args = parser.parse_args()
    tls = None
    if args.cert:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(args.cert, args.key)
    listener = socket.create_server(('127.0.0.1', 0), backlog=64)
    print(f'PORT {listener.getsockname()[1]}', flush=True)
    threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    for conn_id in itertools.count(1):
        sock, _ = listener.accept()
        threading.Thread(target=handle, args=(sock, conn_id, tls), daemon=True).start()


if __name__ == '__main__':
    main()
