"""SigV4 checking: botocore recomputes the signature over the request as received.

The headers signed are exactly those the request lists in SignedHeaders, with the values received;
the payload hash is the body's SHA-256 (S3: the x-amz-content-sha256 header, checked against the
body afterwards); the time is X-Amz-Date; the secret comes from the credential registry by the
access key id of the Credential scope.
"""
import datetime
import hashlib
import hmac
import re

from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.compat import HTTPHeaders
from botocore.credentials import Credentials

from .errors import AwsError, common_error
from .wire import UTC

MAX_SKEW = datetime.timedelta(minutes=15)
_AUTH_RE = re.compile(r'^AWS4-HMAC-SHA256\s+(?P<rest>.*)$', re.S)
_UNSIGNED = 'UNSIGNED-PAYLOAD'


class Authorization:
    """The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header."""

    def __init__(self, access_key_id, date, region, service, signed_headers, signature):
        self.access_key_id = access_key_id
        self.date = date
        self.region = region
        self.service = service
        self.signed_headers = signed_headers
        self.signature = signature


def parse_authorization(value, protocol):
    """The header's parts, or the protocol's IncompleteSignature error."""
    match = _AUTH_RE.match(value.strip())
    if not match:
        raise common_error('incomplete-signature', protocol,
                           f"Authorization header requires 'Credential' parameter. Authorization header "
                           f"requires 'Signature' parameter. Authorization header requires 'SignedHeaders' "
                           f"parameter. Authorization={value}")
    fields = {}
    for part in match.group('rest').split(','):
        key, _, val = part.strip().partition('=')
        fields[key.strip()] = val.strip()
    missing = [k for k in ('Credential', 'SignedHeaders', 'Signature') if not fields.get(k)]
    if missing:
        raise common_error('incomplete-signature', protocol,
                           ' '.join(f"Authorization header requires '{k}' parameter." for k in missing) +
                           f' Authorization={value}')
    scope = fields['Credential'].split('/')
    if len(scope) != 5 or scope[4] != 'aws4_request':
        raise common_error('incomplete-signature', protocol,
                           f"Credential should be scoped to a valid region. ")
    signed = [h.strip().lower() for h in fields['SignedHeaders'].split(';') if h.strip()]
    return Authorization(scope[0], scope[1], scope[2], scope[3], signed, fields['Signature'])


def scope_of(header_value):
    """(access key id, region) of a Credential scope, or (None, None)."""
    match = re.search(r'Credential=([^/,\s]+)/\d{8}/([^/,\s]+)/', header_value or '')
    return (match.group(1), match.group(2)) if match else (None, None)


def credential_service(header_value):
    """The service of a Credential scope, without validating anything else (for routing)."""
    match = re.search(r'Credential=[^/,\s]+/\d{8}/([^/,\s]+)/([^/,\s]+)/', header_value or '')
    return (match.group(2), match.group(1)) if match else (None, None)


class _ReceivedRequestSigner:
    """Mixin: sign exactly the headers the request listed, with the payload hash given."""

    def __init__(self, credentials, service, region, headers, payload_hash):
        super().__init__(credentials, service, region)
        self._received_headers = headers
        self._payload_hash = payload_hash

    def headers_to_sign(self, request):
        headers = HTTPHeaders()
        for name, values in self._received_headers:
            for value in values:
                headers[name] = value
        return headers

    def payload(self, request):
        return self._payload_hash


class _Verifier(_ReceivedRequestSigner, SigV4Auth):
    pass


class _S3Verifier(_ReceivedRequestSigner, S3SigV4Auth):
    pass


def _amz_timestamp(text):
    return datetime.datetime.strptime(text, '%Y%m%dT%H%M%SZ').replace(tzinfo=UTC)


def _fmt(ts):
    return ts.strftime('%Y%m%dT%H%M%SZ')


class SignatureCheck:
    """The outcome of verify(): the credential used and what was computed (for the log)."""

    def __init__(self):
        self.credential = None
        self.canonical_request = None
        self.string_to_sign = None
        self.ok = False


def verify(request, auth, credentials, protocol, service_clock, wall_clock, s3=False, check=None):
    """Raises the error the real service would return for a request that fails SigV4, else
    returns the credential that signed it. `credentials` looks access key ids up."""
    check = check or SignatureCheck()
    amz_date = request.header('x-amz-date')
    if not amz_date:
        if s3:
            raise AwsError('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header',
                           403)
        raise common_error('incomplete-signature', protocol,
                           "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
                           "header. Authorization=" + request.header('authorization', ''))
    try:
        timestamp = _amz_timestamp(amz_date)
    except ValueError:
        raise common_error('incomplete-signature', protocol,
                           f"Date must be in ISO-8601 'basic format'. Got '{amz_date}'. See "
                           "http://en.wikipedia.org/wiki/ISO_8601") from None
    if auth.date != amz_date[:8]:
        if s3:
            raise AwsError('AuthorizationHeaderMalformed',
                           'The authorization header is malformed; Invalid credential date. Date is not '
                           'the same as X-Amz-Date.', 400)
        raise common_error('bad-signature', protocol,
                           f"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
                           f"from HTTP: '{auth.date}' != '{amz_date[:8]}', from '{amz_date}'.")
    if 'host' not in auth.signed_headers:
        raise common_error('bad-signature', protocol,
                           "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")

    credential = credentials.get(auth.access_key_id)
    if credential is None:
        extra = {'AWSAccessKeyId': auth.access_key_id} if s3 else {}
        raise common_error('unknown-key', protocol, **extra)
    check.credential = credential
    token = request.header('x-amz-security-token')
    if (credential.session_token or None) != (token or None):
        raise common_error('invalid-token', protocol)

    now = wall_clock()
    if abs(now - timestamp) > MAX_SKEW:
        if s3:
            raise common_error('signature-expired', protocol, RequestTime=amz_date,
                               ServerTime=now.strftime('%Y-%m-%dT%H:%M:%SZ'),
                               MaxAllowedSkewMilliseconds='900000')
        if protocol == 'ec2':
            raise common_error('signature-expired', protocol, 'Request has expired.')
        if timestamp < now:
            message = (f'Signature expired: {amz_date} is now earlier than {_fmt(now - MAX_SKEW)} '
                       f'({_fmt(now)} - 15 min.)')
        else:
            message = (f'Signature not yet current: {amz_date} is still later than '
                       f'{_fmt(now + MAX_SKEW)} ({_fmt(now)} + 15 min.)')
        raise common_error('signature-expired', protocol, message)

    if s3:
        payload_hash = request.header('x-amz-content-sha256')
        if not payload_hash:
            raise AwsError('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256')
        if payload_hash.startswith('STREAMING-'):
            raise AwsError('NotImplemented', 'A header you provided implies functionality that is not '
                           'implemented (the fake does not decode aws-chunked payloads)', 501,
                           extra={'Header': 'x-amz-content-sha256'})
    else:
        payload_hash = hashlib.sha256(request.body).hexdigest()

    received = [(name, request.headers.get_all(name) or ['']) for name in auth.signed_headers]
    url = 'http://' + (request.host or 'localhost') + request.path
    aws_request = AWSRequest(method=request.method, url=url, params=request.query_pairs(), data=request.body)
    aws_request.context['timestamp'] = amz_date
    signer_class = _S3Verifier if s3 else _Verifier
    signer = signer_class(Credentials(credential.access_key_id, credential.secret_access_key),
                          auth.service, auth.region, received, payload_hash)
    canonical = signer.canonical_request(aws_request)
    string_to_sign = signer.string_to_sign(aws_request, canonical)
    expected = signer.signature(string_to_sign, aws_request)
    check.canonical_request = canonical
    check.string_to_sign = string_to_sign
    if not hmac.compare_digest(expected, auth.signature):
        if s3:
            raise AwsError('SignatureDoesNotMatch',
                           'The request signature we calculated does not match the signature you '
                           'provided. Check your key and signing method.', 403,
                           extra={'AWSAccessKeyId': auth.access_key_id, 'StringToSign': string_to_sign,
                                  'SignatureProvided': auth.signature, 'CanonicalRequest': canonical})
        message = ('The request signature we calculated does not match the signature you provided. '
                   'Check your AWS Secret Access Key and signing method. Consult the service '
                   'documentation for details.')
        if protocol != 'ec2':
            message += (f"\n\nThe Canonical String for this request should have been\n'{canonical}'\n\n"
                        f"The String-to-Sign should have been\n'{string_to_sign}'\n")
        raise common_error('bad-signature', protocol, message)

    if credential.expiration is not None and service_clock() >= credential.expiration:
        raise common_error('expired-token', protocol)
    if s3 and payload_hash != _UNSIGNED:
        computed = hashlib.sha256(request.body).hexdigest()
        if computed != payload_hash:
            raise AwsError('XAmzContentSHA256Mismatch',
                           "The provided 'x-amz-content-sha256' header does not match what was computed.",
                           400, extra={'ClientComputedContentSHA256': payload_hash,
                                       'S3ComputedContentSHA256': computed})
    check.ok = True
    return credential
