#!/usr/bin/env python3
"""A scriptable fake of what the node agent observes, on 127.0.0.1 only: a stacks-node RPC
(/v2/info, /v3/health, /v2/neighbors), a reference node (/v2/info), bitcoind's JSON-RPC
(getblockcount with basic auth) and a stacks-signer metrics endpoint (/heartbeat, /metrics).

    python3 tests/agent/fake_node.py [--exit-with-parent]

prints `CONTROL_PORT n`, `NODE_PORT n`, `REFERENCE_PORT n`, `BITCOIND_PORT n`, `SIGNER_PORT n`,
then `READY`, flushed. Control (JSON, on the control port):

    POST /state  {"node": {...}, "reference": {...}, "bitcoind": {...}, "signer": {...}}
                 merges into the state. node and reference: stacks_tip_height, burn_block_height,
                 network_id, tip_rate (Stacks blocks per second added over time), mode:
                   up        answers normally
                   down      nothing listens: connection refused (as before the headers sync)
                   500       HTTP 500 to everything
                   garbage   200 with a body that is not JSON
                   truncated 200 with JSON cut in the middle (Content-Length matching)
                   reset     the connection is closed without an answer
                   slow      answers after delay_ms
                 node only: neighbors (count), max_peer_height (0: no neighbour data).
                 bitcoind: blocks, mode (up, down, 500), user, password.
                 signer: heartbeat (true/false), mode (up, down).
    GET /state   the state;  GET /requests  requests per server and path;  POST /reset
    POST /freeze {"freeze": true}  stops tip_rate growth (a stall) until false

Exits on SIGTERM, or when its standard input closes with --exit-with-parent.
"""
import base64
import json
import os
import signal
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.RLock()


def default_state():
    return {
        'node': {'mode': 'up', 'stacks_tip_height': 1000, 'burn_block_height': 900, 'network_id': 1,
                 'tip_rate': 0.0, 'delay_ms': 0, 'neighbors': 8, 'max_peer_height': 1000},
        'reference': {'mode': 'up', 'stacks_tip_height': 1000, 'burn_block_height': 900, 'network_id': 1,
                      'tip_rate': 0.0, 'delay_ms': 0},
        'bitcoind': {'mode': 'up', 'blocks': 900, 'user': 'agent', 'password': 'not-a-real-password',
                     'delay_ms': 0},
        'signer': {'mode': 'up', 'heartbeat': True, 'delay_ms': 0},
    }


STATE = default_state()
BASE_TIME = {'node': time.monotonic(), 'reference': time.monotonic()}
FROZEN = {'value': False, 'at': None}
REQUESTS = {}
SERVERS = {}


def tip(kind):
    """The current tip: the stored height plus tip_rate blocks per second since it was set."""
    s = STATE[kind]
    now = FROZEN['at'] if FROZEN['value'] else time.monotonic()
    return int(s['stacks_tip_height'] + s.get('tip_rate', 0.0) * max(0.0, now - BASE_TIME[kind]))


def info_body(kind):
    s = STATE[kind]
    return {
        'peer_version': 402653196, 'pox_consensus': 'ab' * 20, 'burn_block_height': s['burn_block_height'],
        'stable_pox_consensus': 'cd' * 20, 'stable_burn_block_height': s['burn_block_height'] - 1,
        'server_version': 'stacks-node 4.0.2 (fake)', 'network_id': s['network_id'],
        'parent_network_id': 3652501241, 'stacks_tip_height': tip(kind), 'stacks_tip': '00' * 32,
        'stacks_tip_consensus_hash': 'ef' * 20, 'genesis_chainstate_hash': '11' * 32,
        'unanchored_tip': None, 'unanchored_seq': None, 'tenure_height': 200, 'exit_at_block_height': None,
        'is_fully_synced': True,  # as the Nakamoto run loop reports it, even while syncing
    }


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    kind = None  # set per server

    def log_message(self, *args):
        pass

    def _count(self):
        with LOCK:
            key = f'{self.kind} {self.command} {self.path.split("?")[0]}'
            REQUESTS[key] = REQUESTS.get(key, 0) + 1

    def _send(self, status, body, content_type='application/json'):
        data = body if isinstance(body, bytes) else body.encode()
        self.send_response(status)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _drop(self):
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b'\x01\x00\x00\x00\x00\x00\x00\x00')
        except OSError:
            pass
        self.close_connection = True
        try:
            self.connection.close()
        except OSError:
            pass

    def _faulted(self, spec):
        """Applies the mode of `spec`; True when the request has been dealt with."""
        mode = spec.get('mode', 'up')
        if mode == 'down' or mode == 'reset':
            self._drop()
            return True
        if mode == '500':
            self._send(500, 'fault injected: 500', 'text/plain')
            return True
        if mode == 'garbage':
            self._send(200, '<html>\x00\x01 not json at all', 'text/html')
            return True
        if mode == 'truncated':
            self._send(200, '{"peer_version": 402653196, "burn_block_height": 9')
            return True
        if mode == 'slow' or spec.get('delay_ms'):
            time.sleep(spec.get('delay_ms', 0) / 1000.0)
        return False

    def do_GET(self):
        self._count()
        with LOCK:
            spec = dict(STATE[self.kind])
        if self._faulted(spec):
            return
        path = self.path.split('?')[0]
        with LOCK:
            if self.kind in ('node', 'reference') and path == '/v2/info':
                return self._send(200, json.dumps(info_body(self.kind)))
            if self.kind == 'node' and path == '/v3/health':
                t = tip('node')
                peer = STATE['node'].get('max_peer_height', 0)
                if peer:
                    body = {'difference_from_max_peer': max(0, peer - t), 'max_stacks_height_of_neighbors': peer,
                            'max_stacks_neighbor_address': '52.0.0.1:20444', 'node_stacks_tip_height': t}
                else:  # no neighbour data: what stacks-node reports then
                    body = {'difference_from_max_peer': 0, 'max_stacks_height_of_neighbors': 0,
                            'max_stacks_neighbor_address': None, 'node_stacks_tip_height': t}
                return self._send(200, json.dumps(body))
            if self.kind == 'node' and path == '/v2/neighbors':
                n = STATE['node'].get('neighbors', 0)
                peer = {'network_id': 1, 'peer_version': 402653196, 'addrbytes': '00' * 16, 'port': 20444,
                        'public_key_hash': 'aa' * 20, 'authenticated': True}
                return self._send(200, json.dumps({'bootstrap': [], 'sample': [peer] * 3,
                                                   'inbound': [peer] * (n // 2), 'outbound': [peer] * (n - n // 2)}))
            if self.kind == 'signer' and path == '/heartbeat':
                ok = STATE['signer'].get('heartbeat', True)
                return self._send(200 if ok else 500, 'OK' if ok else 'Failed', 'text/plain')
            if self.kind == 'signer' and path == '/metrics':
                text = ('# HELP stacks_signer_current_reward_cycle The current reward cycle\n'
                        '# TYPE stacks_signer_current_reward_cycle gauge\n'
                        'stacks_signer_current_reward_cycle 112\n'
                        f'stacks_signer_stacks_node_height {tip("node")}\n'
                        'stacks_signer_block_responses_sent{response_type="accepted"} 4321\n'
                        'stacks_signer_block_responses_sent{response_type="rejected"} 7\n')
                return self._send(200, text, 'text/plain; version=0.0.4')
        self._send(404, 'not found', 'text/plain')

    def do_POST(self):
        self._count()
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else b''
        with LOCK:
            spec = dict(STATE[self.kind])
        if self.kind != 'bitcoind':
            return self._send(405, 'method not allowed', 'text/plain')
        if self._faulted(spec):
            return
        expected = 'Basic ' + base64.b64encode(f"{spec['user']}:{spec['password']}".encode()).decode()
        if self.headers.get('Authorization') != expected:
            return self._send(401, '', 'text/plain')
        try:
            call = json.loads(body)
        except ValueError:
            return self._send(500, json.dumps({'result': None, 'error': {'code': -32700, 'message': 'Parse error'},
                                               'id': None}))
        if call.get('method') != 'getblockcount':
            return self._send(500, json.dumps({'result': None, 'error': {'code': -32601, 'message': 'Method not found'},
                                               'id': call.get('id')}))
        with LOCK:
            blocks = STATE['bitcoind']['blocks']
        self._send(200, json.dumps({'result': blocks, 'error': None, 'id': call.get('id')}))


class Control(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def _json(self, value, status=200):
        data = json.dumps(value).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        with LOCK:
            if self.path == '/state':
                view = json.loads(json.dumps(STATE))
                view['node']['current_tip'] = tip('node')
                view['reference']['current_tip'] = tip('reference')
                return self._json(view)
            if self.path == '/requests':
                return self._json(REQUESTS)
        self._json({'error': 'not found'}, 404)

    def do_POST(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = json.loads(self.rfile.read(length) or b'null') if length else None
        with LOCK:
            if self.path == '/state':
                for kind, changes in (body or {}).items():
                    if kind in ('node', 'reference'):
                        # Re-base the growing tip so that changing the rate keeps the height.
                        STATE[kind]['stacks_tip_height'] = tip(kind)
                        BASE_TIME[kind] = FROZEN['at'] if FROZEN['value'] else time.monotonic()
                    STATE[kind].update(changes)
                for kind in ('node', 'bitcoind', 'signer', 'reference'):
                    set_listening(kind, STATE[kind].get('mode') != 'down')
                return self._json({'ok': True})
            if self.path == '/freeze':
                freeze = bool((body or {}).get('freeze', True))
                if freeze and not FROZEN['value']:
                    FROZEN['at'] = time.monotonic()
                elif not freeze and FROZEN['value']:
                    paused = time.monotonic() - FROZEN['at']
                    for kind in BASE_TIME:
                        BASE_TIME[kind] += paused
                FROZEN['value'] = freeze
                return self._json({'ok': True})
            if self.path == '/reset':
                STATE.clear()
                STATE.update(default_state())
                REQUESTS.clear()
                FROZEN['value'] = False
                for kind in BASE_TIME:
                    BASE_TIME[kind] = time.monotonic()
                for kind in SERVERS:
                    set_listening(kind, True)
                return self._json({'ok': True})
        self._json({'error': 'not found'}, 404)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        """Clients that hang up (timeouts, resets, shutdown) are part of the tests: no traceback."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def start(kind, port=0):
    handler = type(f'{kind.title()}Handler', (Handler,), {'kind': kind})
    server = Server(('127.0.0.1', port), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.05}, daemon=True)
    thread.start()
    return server


def set_listening(kind, listening):
    """Opens or closes a server's listening socket (closed: connection refused)."""
    entry = SERVERS[kind]
    if listening and entry['server'] is None:
        for _ in range(100):
            try:
                entry['server'] = start(kind, entry['port'])
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f'cannot listen on {entry["port"]} again')
    if not listening and entry['server'] is not None:
        server, entry['server'] = entry['server'], None
        server.shutdown()
        server.server_close()


def main():
    control = Server(('127.0.0.1', 0), Control)
    threading.Thread(target=control.serve_forever, kwargs={'poll_interval': 0.05}, daemon=True).start()
    print(f'CONTROL_PORT {control.server_address[1]}')
    for kind in ('node', 'reference', 'bitcoind', 'signer'):
        server = start(kind)
        SERVERS[kind] = {'server': server, 'port': server.server_address[1]}
        print(f'{kind.upper()}_PORT {server.server_address[1]}')
    print('READY', flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    if '--exit-with-parent' in sys.argv:
        def watch():
            try:
                while os.read(0, 4096):
                    pass
            except OSError:
                pass
            stop.set()
        threading.Thread(target=watch, daemon=True).start()
    stop.wait()


if __name__ == '__main__':
    main()
