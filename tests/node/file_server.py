#!/usr/bin/env python3
"""Serves a directory over HTTP on 127.0.0.1 for the tests, like a release host: prints
`PORT <n>` once listening; GET <prefix>/latest answers 302 to <prefix>/tag/<the file LATEST>."""
import functools
import http.server
import os
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        if self.path.endswith('/latest'):
            latest = os.path.join(self.directory, 'LATEST')
            if os.path.exists(latest):
                with open(latest) as f:
                    tag = f.read().strip()
                self.send_response(302)
                self.send_header('Location', self.path[:-len('latest')] + 'tag/' + tag)
                self.send_header('Content-Length', '0')
                self.end_headers()
                return
        if '/tag/' in self.path:
            self.send_response(200)
            self.send_header('Content-Length', '0')
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, *args):
        pass


def main():
    directory = sys.argv[1]
    server = http.server.ThreadingHTTPServer(
        ('127.0.0.1', 0), functools.partial(Handler, directory=directory))
    print(f'PORT {server.server_address[1]}', flush=True)
    server.serve_forever()


if __name__ == '__main__':
    main()
