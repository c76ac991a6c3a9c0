"""Everything the fake remembers: clock, credentials, request log, faults, and the services' data.

One lock guards it all: every request and every tick of the state machine holds it while it runs.
With --state FILE the whole state is saved (JSON) after every change and loaded at start.
"""
import base64
import datetime
import json
import os
import random
import threading

from . import ACCOUNT_ID, DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY
from .wire import UTC, iso8601, parse_timestamp

DEFAULT_SETTINGS = {
    'auto_signal_ticks': 5,     # ticks after which a resource waiting for signals gets them (0: never)
    'events_page_size': 10,     # DescribeStackEvents page size
    'change_set_ticks': 2,      # ticks a change set takes: CREATE_PENDING -> CREATE_IN_PROGRESS -> done
    'deny_assume_role': False,  # AssumeRole answers AccessDenied
    'role_max_session_seconds': 3600,
}


class Clock:
    """The service clock: wall time plus an offset that /__fake/clock can advance."""

    def __init__(self):
        self.offset = datetime.timedelta(0)

    def now(self):
        return datetime.datetime.now(UTC) + self.offset

    def advance(self, seconds):
        self.offset += datetime.timedelta(seconds=seconds)


class Credential:
    def __init__(self, access_key_id, secret_access_key, session_token=None, expiration=None,
                 arn=None, user_id=None, account=ACCOUNT_ID, chained=False):
        self.access_key_id = access_key_id
        self.secret_access_key = secret_access_key
        self.session_token = session_token or None
        self.expiration = expiration
        self.arn = arn or f'arn:aws:iam::{account}:user/fakeaws-test'
        self.user_id = user_id or 'AIDAFAKEAWSTESTUSER01'
        self.account = account
        self.chained = chained  # obtained from AssumeRole by assumed-role credentials

    def view(self):
        return {'AccessKeyId': self.access_key_id, 'SessionToken': bool(self.session_token),
                'Expiration': iso8601(self.expiration) if self.expiration else None,
                'Arn': self.arn, 'Account': self.account}


class Fault:
    def __init__(self, kind, count=1, service=None, operation=None, delay_ms=0):
        self.kind = kind
        self.count = count
        self.service = service
        self.operation = operation
        self.delay_ms = delay_ms

    def matches(self, service, operation):
        return (self.count > 0 and self.service in (None, '*', service)
                and self.operation in (None, '*', operation))

    def view(self):
        return dict(self.__dict__)


class State:
    def __init__(self, fixture='default', state_file=None, seed=None):
        self.lock = threading.RLock()
        self.clock = Clock()
        self.rng = random.Random(seed)
        self.state_file = state_file
        self.settings = dict(DEFAULT_SETTINGS)
        self.credentials = {}
        self.requests = []
        self.faults = []
        self.resource_failures = []  # {'stack','logical_id','reason','operation'}
        self.tick_count = 0
        self.server_url = 'http://127.0.0.1'
        self.fixture = fixture
        self.reset_credentials()
        from .services import make_stores
        self.stores = make_stores(self)
        if state_file and os.path.exists(state_file):
            self.load(state_file)

    # -- credentials ------------------------------------------------------------------------

    def reset_credentials(self):
        self.credentials = {}
        self.add_credential(Credential(DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY))

    def add_credential(self, credential):
        self.credentials[credential.access_key_id] = credential
        return credential

    def new_access_key(self, prefix='ASIA'):
        alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
        return prefix + ''.join(self.rng.choice(alphabet) for _ in range(16))

    def new_secret(self, length=40):
        alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
        return ''.join(self.rng.choice(alphabet) for _ in range(length))

    def new_token(self):
        raw = bytes(self.rng.getrandbits(8) for _ in range(150))
        return 'IQoJb3JpZ2luX2Vj' + base64.b64encode(raw).decode()

    # -- ids -----------------------------------------------------------------------------------

    def hex_id(self, prefix, length=17):
        return prefix + ''.join(self.rng.choice('0123456789abcdef') for _ in range(length))

    def uuid(self):
        import uuid
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def alnum(self, length, upper=True):
        chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789' if upper else 'abcdefghijklmnopqrstuvwxyz0123456789'
        return ''.join(self.rng.choice(chars) for _ in range(length))

    # -- faults ----------------------------------------------------------------------------------

    def take_fault(self, service, operation):
        for fault in self.faults:
            if fault.matches(service, operation):
                fault.count -= 1
                if fault.count <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    def take_resource_failure(self, stack_name, logical_id, operation):
        for failure in self.resource_failures:
            if failure['stack'] in (stack_name, '*') and failure['logical_id'] == logical_id \
                    and failure.get('operation', 'any') in ('any', operation):
                failure['count'] = failure.get('count', 1) - 1
                if failure['count'] <= 0:
                    self.resource_failures.remove(failure)
                return failure.get('reason') or 'Resource creation failed (injected by the fake)'
        return None

    # -- ticks -----------------------------------------------------------------------------------

    def tick(self):
        with self.lock:
            self.tick_count += 1
            busy = [store.tick() for store in self.stores.values() if hasattr(store, 'tick')]
            if any(busy):
                self.save()

    # -- persistence and the state view ---------------------------------------------------------

    def view(self, bodies=False):
        with self.lock:
            out = {'fixture': self.fixture, 'settings': dict(self.settings),
                   'clock': {'now': iso8601(self.clock.now()),
                             'offset_seconds': self.clock.offset.total_seconds(),
                             'ticks': self.tick_count},
                   'credentials': [c.view() for c in self.credentials.values()]}
            for name, store in self.stores.items():
                out.update(store.view(bodies=bodies))
            return out

    def seed(self, data):
        """Applies a /__fake/state POST: {"reset": true, "fixture": ..., "settings": {...}, plus
        what each store accepts (buckets, ssm_parameters, secrets, stacks, autoscaling_groups)}."""
        with self.lock:
            if data.get('reset'):
                self.reset()
            if 'fixture' in data:
                self.fixture = data['fixture']
            self.settings.update(data.get('settings', {}))
            for store in self.stores.values():
                store.seed(data)
            self.save()

    def reset(self):
        with self.lock:
            from .services import make_stores
            self.settings = dict(DEFAULT_SETTINGS)
            self.faults = []
            self.resource_failures = []
            self.requests = []
            self.reset_credentials()
            self.stores = make_stores(self)

    def save(self):
        if not self.state_file:
            return
        data = {'fixture': self.fixture, 'settings': self.settings,
                'clock_offset': self.clock.offset.total_seconds(),
                'credentials': [_encode(c.__dict__) for c in self.credentials.values()],
                'stores': {name: _encode(store.dump()) for name, store in self.stores.items()}}
        tmp = self.state_file + '.tmp'
        with open(tmp, 'w') as f:
            json.dump(data, f)
        os.replace(tmp, self.state_file)

    def load(self, path):
        with open(path) as f:
            data = json.load(f)
        self.fixture = data.get('fixture', self.fixture)
        self.settings.update(data.get('settings', {}))
        self.clock.offset = datetime.timedelta(seconds=data.get('clock_offset', 0))
        for raw in data.get('credentials', []):
            cred = Credential.__new__(Credential)
            cred.__dict__.update(_decode(raw))
            self.credentials[cred.access_key_id] = cred
        for name, raw in data.get('stores', {}).items():
            if name in self.stores:
                self.stores[name].restore(_decode(raw))


def _encode(value):
    """JSON-safe form of plain data with datetimes, bytes and sets."""
    if isinstance(value, dict):
        return {'$map': [[_encode(k), _encode(v)] for k, v in value.items()]} \
            if any(not isinstance(k, str) for k in value) else {k: _encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if isinstance(value, set):
        return {'$set': [_encode(v) for v in sorted(value, key=str)]}
    if isinstance(value, datetime.datetime):
        return {'$dt': value.isoformat()}
    if isinstance(value, bytes):
        return {'$b64': base64.b64encode(value).decode()}
    return value


def _decode(value):
    if isinstance(value, dict):
        if '$dt' in value:
            return parse_timestamp(value['$dt'])
        if '$b64' in value:
            return base64.b64decode(value['$b64'])
        if '$set' in value:
            return {_decode(v) for v in value['$set']}
        if '$map' in value:
            return {_decode(k): _decode(v) for k, v in value['$map']}
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value

