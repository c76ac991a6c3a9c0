"""The error every fake raises, and the protocol-specific codes of the errors all services share."""


class AwsError(Exception):
    """An error response. `code` and `message` go into the body in the protocol's shape; `extra`
    adds elements (S3's BucketName, Key, ...); `sender` picks Sender/Receiver for query errors."""

    def __init__(self, code, message='', status=400, sender=None, extra=None, headers=None):
        super().__init__(f'{code}: {message}')
        self.code = code
        self.message = message
        self.status = status
        self.sender = sender if sender is not None else status < 500
        self.extra = extra or {}
        self.headers = headers or {}


# Common errors, per protocol: (code, HTTP status, message). `None` message: the caller supplies it.
_COMMON = {
    'throttle': {
        'query': ('Throttling', 400, 'Rate exceeded'),
        'ec2': ('RequestLimitExceeded', 503, 'Request limit exceeded.'),
        'json': ('ThrottlingException', 400, 'Rate exceeded'),
        'rest-xml': ('SlowDown', 503, 'Please reduce your request rate.'),
    },
    '500': {
        'query': ('InternalFailure', 500, 'An internal error has occurred'),
        'ec2': ('InternalError', 500, 'An internal error has occurred'),
        'json': ('InternalFailure', 500, 'An internal error has occurred'),
        'rest-xml': ('InternalError', 500, 'We encountered an internal error. Please try again.'),
    },
    '503': {
        'query': ('ServiceUnavailable', 503, 'Service is unavailable'),
        'ec2': ('Unavailable', 503, 'The server is overloaded and can\'t handle the request.'),
        'json': ('ServiceUnavailable', 503, 'Service is unavailable'),
        'rest-xml': ('ServiceUnavailable', 503, 'Service is unable to handle request.'),
    },
    'access-denied': {
        'query': ('AccessDenied', 403, None),
        'ec2': ('UnauthorizedOperation', 403, 'You are not authorized to perform this operation.'),
        'json': ('AccessDeniedException', 400, None),
        'rest-xml': ('AccessDenied', 403, 'Access Denied'),
    },
    'expired-token': {
        'query': ('ExpiredToken', 403, 'The security token included in the request is expired'),
        'ec2': ('RequestExpired', 400, 'Request has expired.'),
        'json': ('ExpiredTokenException', 400,
                 'The security token included in the request is expired'),
        'rest-xml': ('ExpiredToken', 400, 'The provided token has expired.'),
    },
    'unknown-key': {
        'query': ('InvalidClientTokenId', 403, 'The security token included in the request is invalid.'),
        'ec2': ('AuthFailure', 401, 'AWS was not able to validate the provided access credentials'),
        'json': ('UnrecognizedClientException', 400,
                 'The security token included in the request is invalid.'),
        'rest-xml': ('InvalidAccessKeyId', 403,
                     'The AWS Access Key Id you provided does not exist in our records.'),
    },
    'invalid-token': {
        'query': ('InvalidClientTokenId', 403, 'The security token included in the request is invalid.'),
        'ec2': ('AuthFailure', 401, 'AWS was not able to validate the provided access credentials'),
        'json': ('UnrecognizedClientException', 400,
                 'The security token included in the request is invalid.'),
        'rest-xml': ('InvalidToken', 400, 'The provided token is malformed or otherwise invalid.'),
    },
    'bad-signature': {
        'query': ('SignatureDoesNotMatch', 403, None),
        'ec2': ('SignatureDoesNotMatch', 403, None),
        'json': ('InvalidSignatureException', 400, None),
        'rest-xml': ('SignatureDoesNotMatch', 403, None),
    },
    'signature-expired': {
        'query': ('SignatureDoesNotMatch', 403, None),
        'ec2': ('RequestExpired', 400, None),
        'json': ('InvalidSignatureException', 400, None),
        'rest-xml': ('RequestTimeTooSkewed', 403,
                     'The difference between the request time and the current time is too large.'),
    },
    'incomplete-signature': {
        'query': ('IncompleteSignature', 400, None),
        'ec2': ('IncompleteSignature', 400, None),
        'json': ('IncompleteSignatureException', 400, None),
        'rest-xml': ('AuthorizationHeaderMalformed', 400, None),
    },
    'missing-auth': {
        'query': ('MissingAuthenticationToken', 403, 'Request is missing Authentication Token'),
        'ec2': ('AuthFailure', 401, 'AWS was not able to validate the provided access credentials'),
        'json': ('MissingAuthenticationTokenException', 400, 'Missing Authentication Token'),
        'rest-xml': ('AccessDenied', 403, 'Access Denied'),
    },
    'validation': {
        'query': ('ValidationError', 400, None),
        'ec2': ('InvalidParameterValue', 400, None),
        'json': ('ValidationException', 400, None),
        'rest-xml': ('InvalidArgument', 400, None),
    },
}


def common_error(kind, protocol, message=None, **extra):
    """The error of `kind` (a key of _COMMON) as `protocol` spells it."""
    code, status, default = _COMMON[kind][protocol]
    return AwsError(code, message if message is not None else (default or ''), status, extra=extra)


FAULT_KINDS = ('throttle', '500', '503', 'drop', 'reset', 'access-denied', 'expired-token', 'delay')
