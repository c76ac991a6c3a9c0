"""Requests as received, responses as sent, and the value conversions shared by the protocols."""
import base64
import datetime
import json
from urllib.parse import unquote

UTC = datetime.timezone.utc


class HttpRequest:
    """One HTTP request as the server received it."""

    def __init__(self, method, target, headers, body):
        self.method = method.upper()
        self.target = target  # path and query exactly as received
        path, _, query = target.partition('?')
        self.path = path or '/'
        self.query = query
        self.headers = headers  # email.message.Message: case-insensitive, keeps repeats
        self.body = body or b''

    @property
    def host(self):
        return self.headers.get('host', '')

    def header(self, name, default=None):
        return self.headers.get(name, default)

    def query_pairs(self):
        """The query parameters, percent-decoded ('+' stays a plus, as SigV4 reads it)."""
        pairs = []
        if self.query:
            for part in self.query.split('&'):
                if part:
                    key, _, value = part.partition('=')
                    pairs.append((unquote(key), unquote(value)))
        return pairs


class HttpResponse:
    """What to send back. `action` 'drop' closes the connection without a response, 'reset'
    resets it; `delay` (seconds) is waited before anything is sent."""

    def __init__(self, status=200, headers=None, body=b'', action=None, delay=0.0):
        self.status = status
        self.headers = list(headers or [])
        self.body = body if isinstance(body, bytes) else body.encode('utf-8')
        self.action = action
        self.delay = delay

    def header(self, name):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def iso8601(value):
    """'2024-01-01T00:00:00.000Z', the timestamp format of the XML protocols."""
    value = value.astimezone(UTC)
    return value.strftime('%Y-%m-%dT%H:%M:%S.') + f'{value.microsecond // 1000:03d}Z'


def rfc822(value):
    return value.astimezone(UTC).strftime('%a, %d %b %Y %H:%M:%S GMT')


def parse_timestamp(text):
    """ISO 8601, epoch seconds or RFC 822, as AWS accepts in requests. Raises ValueError."""
    if isinstance(text, (int, float)):
        return datetime.datetime.fromtimestamp(text, UTC)
    text = text.strip()
    try:
        return datetime.datetime.fromtimestamp(float(text), UTC)
    except ValueError:
        pass
    try:
        return datetime.datetime.strptime(text, '%a, %d %b %Y %H:%M:%S %Z').replace(tzinfo=UTC)
    except ValueError:
        pass
    iso = text.replace('Z', '+00:00')
    parsed = datetime.datetime.fromisoformat(iso)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def b64(data):
    return base64.b64encode(data).decode('ascii')


def jsonable(value):
    """A JSON-safe copy of parsed parameters, for the request log."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime.datetime):
        return iso8601(value)
    if isinstance(value, (bytes, bytearray)):
        import hashlib
        return {'bytes': len(value), 'sha256': hashlib.sha256(value).hexdigest()}
    if isinstance(value, float) and value != value:
        return 'NaN'
    return value


def json_dumps(value):
    return json.dumps(jsonable(value), indent=1, sort_keys=False)
