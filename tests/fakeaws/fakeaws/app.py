"""The HTTP server: every AWS service on one port, plus the control API under /__fake/.

A request goes: which service and operation -> injected fault? -> SigV4 -> parameters (protocol
deserializer + validation against the botocore input shape) -> the fake service -> response in
the protocol's shape. Everything is recorded for GET /__fake/requests.
"""
import datetime
import json
import socket
import struct
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

from . import models, protocols, sigv4
from .errors import FAULT_KINDS, AwsError, common_error
from .services import make_services
from .services import s3 as s3_service
from .services.base import Call
from .state import Credential, Fault
from .wire import HttpRequest, HttpResponse, iso8601, jsonable, parse_timestamp

LOOPBACK = ('127.0.0.1', 'localhost')
# Path prefix of the wait condition handles' URLs (fakeaws/cfn/resources.py).
WAIT_CONDITION_PREFIX = '/cloudformation-waitcondition-'


class Routed:
    """Which service and operation a request is for, as far as can be told before SigV4."""

    def __init__(self, service, operation=None, protocol=None, labels=None, pairs=None, error=None):
        self.service = service
        self.operation = operation
        self.protocol = protocol or (service.protocol if service else 'query')
        self.labels = labels or {}
        self.pairs = pairs or []
        self.error = error


class App:
    def __init__(self, state, verbose=False):
        self.state = state
        self.services = make_services(state)
        self.verbose = verbose

    def handle(self, request):
        if request.path.startswith('/__fake/') or request.path == '/__fake':
            return self.handle_control(request)
        if request.path.startswith(WAIT_CONDITION_PREFIX):
            return self.handle_wait_signal(request)
        return self.handle_aws(request)

    # -- wait condition signals ------------------------------------------------------------------

    def handle_wait_signal(self, request):
        """The PUT of a signal to a wait condition handle's presigned URL (S3 in AWS: no SigV4
        header, the URL's signature is the authorization)."""
        entry = {'id': None, 'time': iso8601(datetime.datetime.now(datetime.timezone.utc)),
                 'method': request.method, 'path': request.path, 'service': 'waitcondition',
                 'operation': 'PutSignal', 'region': None, 'access_key_id': None,
                 'params': {'body_size': len(request.body)}, 'signature_ok': None, 'status': None,
                 'error_code': None, 'error_message': None, 'fault': None, 'request_id': self.state.uuid()}
        with self.state.lock:
            if request.method != 'PUT':
                status, code, message = 405, 'MethodNotAllowed', 'The specified method is not allowed against ' \
                    'this resource.'
            else:
                signature = dict(request.query_pairs()).get('X-Amz-Signature', '')
                status, code, message = self.state.stores['cloudformation'].put_wait_signal(
                    request.path, signature, request.body)
            entry.update(status=status, error_code=code, error_message=message, signature_ok=code is None)
            self._log(entry)
            self.state.save()
        if code is None:
            return HttpResponse(200, [('ETag', '"' + self.state.hex_id('', 32) + '"')], b'')
        body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message>'
                f'<RequestId>{entry["request_id"]}</RequestId></Error>')
        return HttpResponse(status, [('Content-Type', 'application/xml')], body.encode())

    # -- routing -------------------------------------------------------------------------------

    def route(self, request):
        auth_header = request.header('authorization')
        signing_name, _region = sigv4.credential_service(auth_header)
        target = request.header('x-amz-target')
        service = models.by_signing_name().get(signing_name) if signing_name else None
        if signing_name and service is None:
            return Routed(None, error=AwsError('UnrecognizedService', f'The fake does not serve {signing_name}', 400))
        if service is None and target:
            service = models.by_target_prefix().get(target.split('.', 1)[0])
        pairs = request.query_pairs()
        content_type = (request.header('content-type') or '').lower()
        if content_type.startswith('application/x-www-form-urlencoded'):
            pairs = pairs + parse_qsl(request.body.decode('utf-8', errors='replace'), keep_blank_values=True)
        actions = [v for k, v in pairs if k == 'Action']
        if service is None:
            if actions:
                service = models.service('sts')
            else:
                service = models.service('s3')
        protocol = service.protocol
        if protocol in ('query', 'ec2'):
            return Routed(service, actions[0] if actions else None, pairs=pairs)
        if protocol == 'json':
            operation = None
            if target:
                prefix, _, operation = target.partition('.')
                if prefix != service.target_prefix:
                    message = f"Credential should be scoped to correct service: '{service.signing_name}'. "
                    return Routed(service, operation, error=common_error('bad-signature', 'json', message))
            return Routed(service, operation)
        operation, labels = s3_service.route(request)
        return Routed(service, operation, labels=labels)

    # -- one AWS request --------------------------------------------------------------------------

    def handle_aws(self, request):
        request_id = self.state.uuid()
        entry = {'id': None, 'time': iso8601(datetime.datetime.now(datetime.timezone.utc)),
                 'method': request.method, 'path': request.target, 'service': None, 'operation': None,
                 'region': None, 'access_key_id': None, 'params': None, 'signature_ok': None,
                 'status': None, 'error_code': None, 'error_message': None, 'fault': None, 'request_id': request_id}
        routed = self.route(request)
        scope = sigv4.scope_of(request.header('authorization'))
        entry['access_key_id'], entry['region'] = scope
        service = routed.service
        entry['service'] = service.name if service else None
        entry['operation'] = routed.operation
        protocol = routed.protocol
        json_version = service.json_version if service else '1.1'
        check = sigv4.SignatureCheck()

        def fail(error):
            response = protocols.serialize_error(protocol, error, request_id, json_version)
            entry['error_code'] = error.code
            entry['error_message'] = error.message
            return response

        response = None
        with self.state.lock:
            fault = self.state.take_fault(entry['service'], routed.operation)
        if fault is not None:
            entry['fault'] = fault.kind
            if fault.kind in ('drop', 'reset'):
                response = HttpResponse(action=fault.kind)
            elif fault.kind == 'delay':
                time.sleep(fault.delay_ms / 1000.0)
                fault = None
            else:
                message = None
                if fault.kind == 'access-denied' and protocol in ('query', 'json'):
                    message = (f'User: arn:aws:iam::111111111111:user/fakeaws-test is not authorized to perform: '
                               f'{service.signing_name}:{routed.operation} because no identity-based policy allows '
                               f'the {service.signing_name}:{routed.operation} action')
                response = fail(common_error(fault.kind, protocol, message))
        if response is None:
            with self.state.lock:
                try:
                    response = self._authenticated_call(request, routed, request_id, entry, check)
                except AwsError as error:
                    response = fail(error)
                except Exception as error:  # a bug of the fake: say so loudly
                    traceback.print_exc(file=sys.stderr)
                    response = fail(common_error('500', protocol, f'fakeaws bug: {error!r}'))
                entry['signature_ok'] = check.ok if request.header('authorization') else None
                entry['status'] = response.status if response.action is None else response.action
                if not check.ok and check.canonical_request and request.header('authorization'):
                    entry['expected_canonical_request'] = check.canonical_request
                    entry['expected_string_to_sign'] = check.string_to_sign
                self._log(entry)
                self.state.save()
        else:
            entry['status'] = response.status if response.action is None else response.action
            with self.state.lock:
                self._log(entry)
        return response

    def _log(self, entry):
        entry['id'] = len(self.state.requests) + 1
        self.state.requests.append(entry)
        if self.verbose:
            print(f"fakeaws: {entry['service']} {entry['operation']} -> {entry['status']} {entry['error_code'] or ''}",
                  file=sys.stderr, flush=True)

    def _authenticated_call(self, request, routed, request_id, entry, check):
        service, protocol = routed.service, routed.protocol
        if routed.error is not None:
            raise routed.error
        auth_header = request.header('authorization')
        if not auth_header:
            raise common_error('missing-auth', protocol)
        auth = sigv4.parse_authorization(auth_header, protocol)
        entry['region'] = auth.region
        entry['access_key_id'] = auth.access_key_id
        credential = sigv4.verify(request, auth, self.state.credentials, protocol, self.state.clock.now,
                                  lambda: datetime.datetime.now(datetime.timezone.utc),
                                  s3=service.name == 's3', check=check)
        op_model = self._operation(service, routed, protocol)
        params = self._params(request, service, routed, op_model, protocol)
        entry['params'] = jsonable(params)
        call = Call(self.state, service, op_model.name, params, auth.region, credential, request_id, request)
        result = self.services[service.name].handle(call)
        return protocols.serialize_result(service, op_model, result, request_id)

    @staticmethod
    def _operation(service, routed, protocol):
        name = routed.operation
        if protocol in ('query', 'ec2'):
            version = next((v for k, v in routed.pairs if k == 'Version'), None)
            if not name:
                raise AwsError('MissingAction', 'Missing Action', 400)
            op_model = service.operation(name)
            if protocol == 'ec2':
                if op_model is None:
                    raise AwsError('InvalidAction', f'The action {name} is not valid for this web service.', 400)
                if version != service.api_version:
                    raise AwsError('NoSuchVersion', f'The requested version ({version}) of service AmazonEC2 does '
                                   'not exist', 400)
                return op_model
            if op_model is None or version != service.api_version:
                raise AwsError('InvalidAction', f'Could not find operation {name} for version {version}', 400)
            return op_model
        if protocol == 'json':
            op_model = service.operation(name) if name else None
            if op_model is None:
                raise AwsError('UnknownOperationException', None, 400)
            return op_model
        if name is None:
            raise AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405,
                           extra={'Method': 'UNKNOWN', 'ResourceType': 'OBJECT'})
        op_model = service.operation(name)
        if op_model is None or not hasattr(s3_service.S3, name):
            raise AwsError('NotImplemented', 'A header you provided implies functionality that is not implemented',
                           501)
        return op_model

    @staticmethod
    def _params(request, service, routed, op_model, protocol):
        try:
            if protocol in ('query', 'ec2'):
                params = protocols.QueryDeserializer(ec2=protocol == 'ec2').deserialize(routed.pairs, op_model.input_shape)
            elif protocol == 'json':
                params = protocols.deserialize_json(request.body, op_model.input_shape)
            else:
                params = protocols.deserialize_rest(request, op_model, routed.labels)
        except protocols.ParamError as err:
            raise protocols.param_error(protocol, err) from None
        protocols.validate(params, op_model.input_shape, protocol)
        return params

    # -- the control API ----------------------------------------------------------------------------

    def handle_control(self, request):
        path = request.path[len('/__fake'):].rstrip('/') or '/'
        query = dict(request.query_pairs())
        try:
            body = json.loads(request.body or b'null')
        except ValueError:
            return _json_response({'error': 'body is not JSON'}, 400)
        method = request.method
        state = self.state
        with state.lock:
            if path == '/health':
                return _json_response({'ok': True})
            if path == '/requests':
                if method == 'DELETE':
                    state.requests = []
                    return _json_response({'ok': True})
                items = state.requests
                for key in ('service', 'operation'):
                    if key in query:
                        items = [r for r in items if r[key] == query[key]]
                if 'since' in query:
                    items = [r for r in items if r['id'] > int(query['since'])]
                return _json_response(items)
            if path == '/faults':
                if method == 'POST':
                    for spec in body if isinstance(body, list) else [body]:
                        if spec.get('kind') not in FAULT_KINDS:
                            return _json_response({'error': f"kind must be one of {', '.join(FAULT_KINDS)}"}, 400)
                        state.faults.append(Fault(spec['kind'], int(spec.get('count', 1)), spec.get('service'),
                                                  spec.get('operation'), int(spec.get('delay_ms', 0))))
                elif method == 'DELETE':
                    state.faults = []
                return _json_response([f.view() for f in state.faults])
            if path == '/credentials':
                if method == 'POST':
                    return _json_response(self._register_credential(body).view())
                return _json_response([c.view() for c in state.credentials.values()])
            if path == '/resource-failures':
                if method == 'POST':
                    for spec in body if isinstance(body, list) else [body]:
                        state.resource_failures.append(
                            {'stack': spec['stack'], 'logical_id': spec['logical_id'],
                             'reason': spec.get('reason') or 'Resource creation failed (injected by the fake)',
                             'operation': spec.get('operation', 'any'), 'count': int(spec.get('count', 1))})
                elif method == 'DELETE':
                    state.resource_failures = []
                return _json_response(state.resource_failures)
            if path == '/state':
                if method == 'POST':
                    try:
                        state.seed(body or {})
                    except Exception as error:  # a bad seed: tell the test why
                        return _json_response({'error': f'{type(error).__name__}: {error}'}, 400)
                return _json_response(state.view(bodies=query.get('bodies') in ('1', 'true')))
            if path == '/reset' and method == 'POST':
                state.reset()
                return _json_response({'ok': True})
            if path == '/clock':
                if method == 'POST':
                    body = body or {}
                    state.clock.advance(float(body.get('advance_seconds', 0)))
                    for _ in range(int(body.get('ticks', 0))):
                        state.tick()
                return _json_response({'now': iso8601(state.clock.now()),
                                       'offset_seconds': state.clock.offset.total_seconds(),
                                       'ticks': state.tick_count})
        return _json_response({'error': f'no control endpoint {method} {request.path}'}, 404)

    def _register_credential(self, body):
        expiration = None
        if body.get('expiration'):
            expiration = parse_timestamp(body['expiration'])
        elif body.get('expires_in_seconds') is not None:
            expiration = self.state.clock.now() + datetime.timedelta(seconds=float(body['expires_in_seconds']))
        return self.state.add_credential(Credential(
            body['access_key_id'], body['secret_access_key'], body.get('session_token'), expiration,
            arn=body.get('arn'), user_id=body.get('user_id'), account=body.get('account', '111111111111')))


def _json_response(value, status=200):
    return HttpResponse(status, [('Content-Type', 'application/json')], json.dumps(jsonable(value), indent=1))


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'fakeaws'
    sys_version = ''

    def version_string(self):
        return 'fakeaws'

    def log_message(self, fmt, *args):
        if getattr(self.server, 'verbose', False):
            super().log_message(fmt, *args)

    def _read_body(self):
        if 'chunked' in (self.headers.get('transfer-encoding') or '').lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b';')[0].strip() or b'0', 16)
                if size == 0:
                    while self.rfile.readline().strip():
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b''.join(chunks)
        length = int(self.headers.get('content-length') or 0)
        return self.rfile.read(length) if length else b''

    def _handle(self):
        request = HttpRequest(self.command, self.path, self.headers, self._read_body())
        self._send(self.server.app.handle(request))

    def _send(self, response):
        if response.delay:
            time.sleep(response.delay)
        if response.action == 'drop':
            self.close_connection = True
            return
        if response.action == 'reset':
            self.close_connection = True
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
            try:
                self.rfile.close()
                self.wfile.close()
            finally:
                self.connection.close()
            return
        self.send_response(response.status)
        for key, value in response.headers:
            self.send_header(key, value)
        if response.header('content-length') is None:
            self.send_header('Content-Length', str(len(response.body)))
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(response.body)

    def finish(self):
        try:
            super().finish()
        except (OSError, ValueError):
            pass

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = do_PATCH = do_OPTIONS = _handle


class FakeServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, app, port=0, host='127.0.0.1', handler=Handler, verbose=False):
        if host not in LOOPBACK:
            raise ValueError(f'the fake listens on 127.0.0.1 only, not {host}')
        super().__init__(('127.0.0.1', port), handler)
        self.app = app
        self.verbose = verbose

    def handle_error(self, request, client_address):
        if self.verbose:
            super().handle_error(request, client_address)


class Ticker(threading.Thread):
    """Advances the state machine every `interval` seconds."""

    def __init__(self, state, interval):
        super().__init__(daemon=True, name='fakeaws-ticker')
        self.state = state
        self.interval = interval
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.wait(self.interval):
            try:
                self.state.tick()
            except Exception:
                traceback.print_exc(file=sys.stderr)

    def stop(self):
        self.stopped.set()
