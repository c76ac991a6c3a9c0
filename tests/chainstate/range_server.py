#!/usr/bin/env python3
"""An archive host for the chainstate tests: serves a directory over HTTP/1.1 on 127.0.0.1 with
single byte-range support (206, Content-Range, Accept-Ranges, ETag), and faults to inject.

Prints `PORT <n>` once listening and exits when its standard input closes. Faults apply to the
GETs of *.tar.* files other than the discovery probe (`Range: bytes=0-0`):

  --no-ranges          ignore Range headers: 200 and the whole file, no Accept-Ranges
  --drop-at N          the first response reaching byte N sends the bytes before it, then closes
  --stall-at N         the first response reaching byte N sends the bytes before it, then hangs
  --stall-seconds S    how long it hangs (default 60)
  --fail-503 N         the first N requests answer 503
  --always-503         every request answers 503
  --corrupt-at N       byte N is served flipped (the .sha256 stays the original's)
  --wrong-sha256       every .sha256 gives a digest of other bytes
  --slow-after N       responses wait 0.2 s before each 64 KiB once past byte N (for kill tests)

GET /_log answers the JSON list of requests so far: {"path", "range", "status"}.
"""
import argparse
import hashlib
import json
import os
import re
import socketserver
import sys
import threading
import time
import http.server

LOCK = threading.Lock()
LOG = []
STATE = {'dropped': False, 'stalled': False, 'failed': 0}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    options = None
    directory = None

    def log_message(self, *args):
        pass

    def _record(self, status, rng):
        with LOCK:
            LOG.append({'path': self.path, 'range': rng, 'status': status})

    def _simple(self, status, body=b'', headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        opts = self.options
        rng = self.headers.get('Range')
        if self.path == '/_log':
            with LOCK:
                body = json.dumps(LOG).encode()
            self._simple(200, body, [('Content-Type', 'application/json')])
            return
        path = os.path.normpath(os.path.join(self.directory, self.path.lstrip('/').split('?')[0]))
        if not path.startswith(self.directory) or not os.path.isfile(path):
            self._record(404, rng)
            self._simple(404, b'not found\n')
            return
        with open(path, 'rb') as f:
            data = f.read()
        if path.endswith('.sha256'):
            if opts.wrong_sha256:
                data = (hashlib.sha256(b'other bytes').hexdigest() + '  x\n').encode()
            self._record(200, rng)
            self._simple(200, data)
            return
        is_archive = '.tar.' in os.path.basename(path)
        probe = rng == 'bytes=0-0'
        faulty = is_archive and not probe and self.command == 'GET'
        if faulty:
            with LOCK:
                fail = opts.always_503 or STATE['failed'] < opts.fail_503
                if fail:
                    STATE['failed'] += 1
            if fail:
                self._record(503, rng)
                self._simple(503, b'busy\n', [('Retry-After', '0')])
                return
        if opts.corrupt_at is not None and is_archive and opts.corrupt_at < len(data):
            data = bytearray(data)
            data[opts.corrupt_at] ^= 0x5A
            data = bytes(data)
        etag = '"%x-%x"' % (int(os.path.getmtime(path)), len(data))
        start, end = 0, len(data) - 1
        status = 200
        if rng and not opts.no_ranges:
            m = re.fullmatch(r'bytes=(\d+)-(\d*)', rng.strip())
            if not m or int(m.group(1)) >= len(data):
                self._record(416, rng)
                self._simple(416, b'', [('Content-Range', 'bytes */%d' % len(data))])
                return
            start = int(m.group(1))
            if m.group(2):
                end = min(int(m.group(2)), len(data) - 1)
            status = 206
        self._record(status, rng)
        self.send_response(status)
        if not opts.no_ranges:
            self.send_header('Accept-Ranges', 'bytes')
        if status == 206:
            self.send_header('Content-Range', 'bytes %d-%d/%d' % (start, end, len(data)))
        self.send_header('ETag', etag)
        self.send_header('Content-Length', str(end - start + 1))
        self.end_headers()
        if self.command == 'HEAD':
            return
        pos = start
        while pos <= end:
            chunk_end = min(end + 1, pos + 65536)
            cut = None
            if faulty:
                with LOCK:
                    for key, at in (('dropped', opts.drop_at), ('stalled', opts.stall_at)):
                        if at is not None and not STATE[key] and pos <= at < chunk_end:
                            STATE[key] = True
                            cut = key
                            break
            if cut:
                at = opts.drop_at if cut == 'dropped' else opts.stall_at
                self.wfile.write(data[pos:at])
                self.wfile.flush()
                if cut == 'stalled':
                    time.sleep(opts.stall_seconds)
                self.close_connection = True
                try:
                    self.connection.shutdown(2)
                except OSError:
                    pass
                return
            if faulty and opts.slow_after is not None and pos >= opts.slow_after:
                time.sleep(0.2)
            try:
                self.wfile.write(data[pos:chunk_end])
            except (BrokenPipeError, ConnectionResetError):
                return
            pos = chunk_end


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # clients that hang up (aborted ranges, timeouts) are part of the tests


def main():
    p = argparse.ArgumentParser()
    p.add_argument('directory')
    p.add_argument('--no-ranges', action='store_true')
    p.add_argument('--drop-at', type=int)
    p.add_argument('--stall-at', type=int)
    p.add_argument('--stall-seconds', type=float, default=60)
    p.add_argument('--fail-503', type=int, default=0)
    p.add_argument('--always-503', action='store_true')
    p.add_argument('--corrupt-at', type=int)
    p.add_argument('--wrong-sha256', action='store_true')
    p.add_argument('--slow-after', type=int)
    opts = p.parse_args()
    Handler.options = opts
    Handler.directory = os.path.realpath(opts.directory)
    server = Server(('127.0.0.1', 0), Handler)
    print('PORT %d' % server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        sys.stdin.read()  # until the test closes it
    except KeyboardInterrupt:
        pass
    os._exit(0)


if __name__ == '__main__':
    main()
