#!/usr/bin/env python3
"""Signs requests with botocore's SigV4 signer: the independent check of src/aws/sigv4.cc.

Reads a JSON list of requests on stdin; each is an object with
  method, host, path (as sent, percent-encoded), query ([[name, value], ...] decoded),
  headers ([[name, value], ...]), body_hex, service, region, time (Unix seconds, UTC),
  access_key_id, secret_access_key, session_token ("" for none),
  s3, unsigned_payload, add_content_sha256 (booleans).
Writes a JSON list on stdout, one object per request, in order:
  authorization: the Authorization header botocore computed,
  headers: every header of the request after signing ([[name, value], ...]),
  canonical_request: what botocore signed (no secret in it; for diagnostics).
Exits 3, with the reason on stderr, when botocore cannot be imported.
"""

import datetime
import hashlib
import json
import sys
import types
from unittest import mock

try:
    import botocore.auth
    import botocore.awsrequest
    import botocore.credentials
except ImportError as error:
    sys.stderr.write(
        f'botocore_sign.py: cannot import botocore ({error}) with {sys.executable}; '
        'install the Debian package python3-botocore\n')
    sys.exit(3)


def pinned_clock(when):
    """Makes botocore.auth read `when` (naive UTC) as the current time."""
    if hasattr(botocore.auth, 'get_current_datetime'):  # botocore >= 1.34
        return mock.patch.object(botocore.auth, 'get_current_datetime', lambda: when)

    class PinnedDatetime(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return when

    shim = types.SimpleNamespace(datetime=PinnedDatetime)
    return mock.patch.object(botocore.auth, 'datetime', shim)


def make_signer(spec):
    base = botocore.auth.S3SigV4Auth if spec['s3'] else botocore.auth.SigV4Auth

    class RecordingSigner(base):
        canonical = None

        def canonical_request(self, request):
            self.canonical = super().canonical_request(request)
            return self.canonical

    credentials = botocore.credentials.Credentials(
        spec['access_key_id'], spec['secret_access_key'], spec['session_token'] or None)
    return RecordingSigner(credentials, spec['service'], spec['region'])


def make_request(spec):
    body = bytes.fromhex(spec['body_hex'])
    request = botocore.awsrequest.AWSRequest(
        method=spec['method'], url=f"https://{spec['host']}{spec['path']}", data=body)
    for name, value in spec['headers']:
        request.headers[name] = value  # adds: repeated names stay repeated
    # A list of pairs keeps repeated names; botocore encodes and sorts them itself.
    request.params = [(name, value) for name, value in spec['query']]
    if spec['unsigned_payload']:
        if spec['s3']:
            request.context['client_config'] = types.SimpleNamespace(
                s3={'payload_signing_enabled': False})
        else:
            request.context['payload_signing_enabled'] = False
    elif spec['add_content_sha256'] and not spec['s3']:
        # botocore has no switch for it: its handlers (Glacier, ...) set the header before signing.
        request.headers['X-Amz-Content-SHA256'] = hashlib.sha256(body).hexdigest()
    return request


def sign(spec):
    request = make_request(spec)
    signer = make_signer(spec)
    when = datetime.datetime.fromtimestamp(spec['time'], datetime.timezone.utc)
    with pinned_clock(when.replace(tzinfo=None)):
        signer.add_auth(request)
    return {
        'authorization': request.headers['Authorization'],
        'headers': [[name, value] for name, value in request.headers.items()],
        'canonical_request': signer.canonical,
    }


def main():
    specs = json.load(sys.stdin)
    json.dump([sign(spec) for spec in specs], sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
