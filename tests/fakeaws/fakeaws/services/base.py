"""What every fake service shares: the call it handles and the error helpers."""
from ..errors import AwsError


class Call:
    """One authenticated, validated operation call."""

    def __init__(self, state, service, operation, params, region, credential, request_id, request):
        self.state = state
        self.service = service          # models.ServiceInfo
        self.operation = operation
        self.params = params
        self.region = region
        self.credential = credential
        self.request_id = request_id
        self.request = request          # wire.HttpRequest
        self.now = state.clock.now()

    @property
    def account(self):
        return self.credential.account if self.credential else '111111111111'


class Service:
    """A fake service: one method per implemented operation, named like the operation, taking
    the Call and returning a dict shaped like the operation's output."""

    name = None

    def __init__(self, state):
        self.state = state

    @property
    def store(self):
        return self.state.stores[self.name]

    def implemented(self):
        return sorted(n for n in dir(self) if n[:1].isupper() and callable(getattr(self, n)))

    def handle(self, call):
        method = getattr(self, call.operation, None)
        if method is None or not call.operation[:1].isupper():
            raise AwsError('InvalidAction' if call.service.protocol != 'json' else 'UnknownOperationException',
                           f'The fake {self.name} does not implement {call.operation}', 400)
        return method(call)

    def error(self, code, message, status=None, **extra):
        from ..models import service
        return AwsError(code, message, status or service(self.name).status_for(code), extra=extra)


class Store:
    """A service's data. Plain dicts and lists (with datetimes and bytes) so it persists as is."""

    def __init__(self, state):
        self.state = state
        self.data = self.empty()

    def empty(self):
        return {}

    def dump(self):
        return self.data

    def restore(self, data):
        self.data = data

    def seed(self, data):
        pass

    def view(self, bodies=False):
        return {}
