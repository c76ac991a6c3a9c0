#!/usr/bin/env python3
"""Fake AWS endpoints for the stacks-runner tests (see README.md beside this file).

  server.py --port 0 [--state FILE] [--fixture default|no-default-vpc] [--tick-ms 50]
            [--imds-port 0 [IMDS options]]        every AWS service on one port (+ IMDS)
  server.py --imds --port 0 [--aws-url URL]       the instance metadata service alone

Prints `IMDS_PORT <n>` (when an IMDS runs beside the AWS fake) and then `PORT <n>` once ready;
PORT is always the last line printed at start. SIGTERM or SIGINT stops it cleanly.
"""
import argparse
import os
import signal
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fakeaws  # noqa: E402  (picks Debian's botocore before anything imports botocore)
from fakeaws.app import App, FakeServer, Ticker  # noqa: E402
from fakeaws.imds import ImdsApp  # noqa: E402
from fakeaws.state import State  # noqa: E402


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--port', type=int, default=0, help='port to listen on (0: any free port)')
    parser.add_argument('--host', default='127.0.0.1', help='only 127.0.0.1 (or localhost) is accepted')
    parser.add_argument('--state', help='JSON file the state is loaded from and saved to')
    parser.add_argument('--fixture', default='default', choices=('default', 'no-default-vpc'))
    parser.add_argument('--tick-ms', type=float, default=50,
                        help='state machine tick (0: only POST /__fake/clock {"ticks": N} advances it)')
    parser.add_argument('--auto-signal-ticks', type=int, default=None,
                        help='ticks after which a resource waiting for signals gets them (0: never; default 5)')
    parser.add_argument('--events-page-size', type=int, default=None, help='DescribeStackEvents page size (10)')
    parser.add_argument('--deny-assume-role', action='store_true', help='AssumeRole answers AccessDenied')
    parser.add_argument('--seed', type=int, default=None, help='seed of the ids made up (reproducible runs)')
    parser.add_argument('--exit-with-parent', action='store_true', help='exit when the parent process dies')
    parser.add_argument('--verbose', action='store_true', help='log every request on stderr')
    imds = parser.add_argument_group('instance metadata service')
    imds.add_argument('--imds', action='store_true', help='run only the IMDS, on --port')
    imds.add_argument('--imds-port', type=int, default=None, help='also run an IMDS on this port (0: any)')
    imds.add_argument('--aws-url', help='with --imds: the AWS fake to register role credentials with')
    imds.add_argument('--instance-id', default='i-0123456789abcdef0')
    imds.add_argument('--region', default='us-east-1')
    imds.add_argument('--availability-zone', default=None)
    imds.add_argument('--role-name', default='stacks-nodes-common-NodeRole-FAKE0000000')
    imds.add_argument('--credential-ttl', type=float, default=21600, help='seconds role credentials last')
    imds.add_argument('--target-lifecycle-state', default='InService', help="'' for an instance not in a group")
    args = parser.parse_args(argv)
    if args.host not in ('127.0.0.1', 'localhost'):
        parser.error(f'--host {args.host}: the fake listens on 127.0.0.1 only')
    return args


def main(argv=None):
    args = parse_args(argv)
    servers, ticker = [], None
    imds_options = dict(instance_id=args.instance_id, region=args.region, availability_zone=args.availability_zone,
                        role_name=args.role_name, credential_ttl=args.credential_ttl,
                        target_lifecycle_state=args.target_lifecycle_state or None)
    lines = []
    if args.imds:
        imds_server = FakeServer(ImdsApp(aws_url=args.aws_url, **imds_options), args.port, args.host,
                                 verbose=args.verbose)
        servers.append(imds_server)
        lines.append(f'PORT {imds_server.server_address[1]}')
    else:
        state = State(fixture=args.fixture, state_file=args.state, seed=args.seed)
        for key, value in (('auto_signal_ticks', args.auto_signal_ticks), ('events_page_size', args.events_page_size)):
            if value is not None:
                state.settings[key] = value
        if args.deny_assume_role:
            state.settings['deny_assume_role'] = True
        aws_server = FakeServer(App(state, verbose=args.verbose), args.port, args.host, verbose=args.verbose)
        state.server_url = f'http://127.0.0.1:{aws_server.server_address[1]}'
        if args.imds_port is not None:
            imds_server = FakeServer(ImdsApp(aws_state=state, **imds_options), args.imds_port, args.host,
                                     verbose=args.verbose)
            servers.append(imds_server)
            lines.append(f'IMDS_PORT {imds_server.server_address[1]}')
        servers.append(aws_server)
        lines.append(f'PORT {aws_server.server_address[1]}')
        if args.tick_ms > 0:
            ticker = Ticker(state, args.tick_ms / 1000.0)
            ticker.start()

    threads = [threading.Thread(target=s.serve_forever, kwargs={'poll_interval': 0.1}, daemon=True) for s in servers]
    for thread in threads:
        thread.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    for line in lines:
        print(line, flush=True)
    parent = os.getppid()
    while not stop.wait(0.2):
        if args.exit_with_parent and os.getppid() != parent:
            break
    if ticker:
        ticker.stop()
    for server in servers:
        server.shutdown()
        server.server_close()
    if not args.imds:
        state.save()
    return 0


if __name__ == '__main__':
    sys.exit(main())
