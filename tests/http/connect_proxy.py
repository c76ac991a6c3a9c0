#!/usr/bin/env python3
"""A tiny HTTP proxy for the tests of src/http, on 127.0.0.1 only.

Prints "PORT <n>" once listening; exits when its standard input closes (the test ended).
  CONNECT host:port   opens a tunnel to 127.0.0.1:port, whatever the host name (so that tests can
                      use names that resolve nowhere, and nothing ever leaves this machine).
  other requests      (absolute-form, plain HTTP) are answered by the proxy itself: 200, body
                      "<method> <target>", X-Tunnels: how many tunnels were opened so far.
With --auth user:password every request needs that Basic Proxy-Authorization, else 407.
"""

import argparse
import base64
import os
import select
import socket
import sys
import threading

tunnels = 0
lock = threading.Lock()


def read_head(sock):
    data = b''
    while b'\r\n\r\n' not in data:
        more = sock.recv(4096)
        if not more:
            return None
        data += more
    head, _, rest = data.partition(b'\r\n\r\n')
    lines = head.decode('latin-1').split('\r\n')
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(':')
        headers[name.strip().lower()] = value.strip()
    return lines[0].split(' '), headers, rest


def pump(a, b):
    """Copies bytes both ways until either side closes."""
    while True:
        readable, _, _ = select.select([a, b], [], [])
        for src in readable:
            data = src.recv(65536)
            if not data:
                return
            (b if src is a else a).sendall(data)


def handle(sock, auth):
    global tunnels
    try:
        request = read_head(sock)
        if request is None:
            return
        (method, target, _), headers, rest = request
        if auth and headers.get('proxy-authorization') != 'Basic ' + auth:
            sock.sendall(b'HTTP/1.1 407 Proxy Authentication Required\r\n'
                         b'Proxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n')
            return
        if method == 'CONNECT':
            port = int(target.rsplit(':', 1)[1])
            upstream = socket.create_connection(('127.0.0.1', port))
            with lock:
                tunnels += 1
            sock.sendall(b'HTTP/1.1 200 Connection established\r\n\r\n')
            if rest:
                upstream.sendall(rest)
            pump(sock, upstream)
            upstream.close()
        else:
            body = f'{method} {target}'.encode()
            sock.sendall(b'HTTP/1.1 200 OK\r\nX-Tunnels: %d\r\nContent-Length: %d\r\n'
                         b'Connection: close\r\n\r\n%s' % (tunnels, len(body), body))
    except OSError:
        pass
    finally:
        sock.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--auth')
    args = parser.parse_args()
    auth = base64.b64encode(args.auth.encode()).decode() if args.auth else None
    listener = socket.create_server(('127.0.0.1', 0), backlog=64)
    print(f'PORT {listener.getsockname()[1]}', flush=True)
    threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    while True:
        sock, _ = listener.accept()
        threading.Thread(target=handle, args=(sock, auth), daemon=True).start()


if __name__ == '__main__':
    main()
