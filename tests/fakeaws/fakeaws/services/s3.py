"""S3, path style (http://127.0.0.1:PORT/bucket/key) or virtual-hosted (bucket.localhost:PORT).

Buckets exist only when a CloudFormation stack created an AWS::S3::Bucket or /__fake/state seeded
one. Objects: PutObject (Content-MD5 and x-amz-checksum-* checked), GetObject (with Range),
HeadObject, DeleteObject, ListObjectsV2, HeadBucket.
"""
import base64
import hashlib
import re
import zlib
from urllib.parse import quote_plus, unquote

from ..errors import AwsError
from .base import Service, Store

_VIRTUAL_HOST = re.compile(r'^(?P<bucket>[a-z0-9][a-z0-9.-]*[a-z0-9])\.'
                           r'(?:localhost|s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com)$')


def split_host(host):
    """The bucket named by a virtual-hosted Host header, else None."""
    name = host.rsplit(':', 1)[0] if host.count(':') == 1 else host
    match = _VIRTUAL_HOST.match(name.lower())
    return match.group('bucket') if match else None


def route(request):
    """(operation, labels) of an S3 request: labels hold Bucket and Key."""
    bucket = split_host(request.host)
    path = request.path
    if bucket is None:
        parts = path.lstrip('/').split('/', 1)
        bucket = unquote(parts[0]) if parts[0] else None
        key = unquote(parts[1]) if len(parts) > 1 else ''
    else:
        key = unquote(path[1:])
    query = dict(request.query_pairs())
    labels = {}
    if bucket:
        labels['Bucket'] = bucket
    method = request.method
    if not bucket:
        return ('ListBuckets' if method == 'GET' else None), labels
    if not key:
        if method == 'HEAD':
            return 'HeadBucket', labels
        if method == 'GET' and query.get('list-type') == '2':
            return 'ListObjectsV2', labels
        if method == 'GET' and not query:
            return 'ListObjects', labels
        return {'PUT': 'CreateBucket', 'DELETE': 'DeleteBucket'}.get(method), labels
    labels['Key'] = key
    if 'uploads' in query or 'uploadId' in query:
        return 'CreateMultipartUpload', labels
    if method == 'PUT' and request.header('x-amz-copy-source'):
        return 'CopyObject', labels
    return {'PUT': 'PutObject', 'GET': 'GetObject', 'HEAD': 'HeadObject',
            'DELETE': 'DeleteObject'}.get(method), labels


class S3Store(Store):
    def empty(self):
        return {'buckets': {}}

    def create_bucket(self, name, region, stack=None):
        self.data['buckets'].setdefault(name, {'Region': region, 'CreationDate': self.state.clock.now(),
                                               'Stack': stack, 'Objects': {}})

    def bucket(self, name):
        return self.data['buckets'].get(name)

    def put_object(self, bucket, key, body, content_type='binary/octet-stream', metadata=None):
        self.data['buckets'][bucket]['Objects'][key] = {
            'Body': body, 'ETag': '"' + hashlib.md5(body).hexdigest() + '"',
            'ContentType': content_type, 'LastModified': self.state.clock.now().replace(microsecond=0),
            'Metadata': metadata or {}}

    def seed(self, data):
        for name, spec in data.get('buckets', {}).items():
            self.create_bucket(name, spec.get('region', 'us-east-1'))
            for key, obj in spec.get('objects', {}).items():
                if isinstance(obj, str):
                    self.put_object(name, key, obj.encode())
                else:
                    body = base64.b64decode(obj['body_base64']) if 'body_base64' in obj else obj['body'].encode()
                    self.put_object(name, key, body, obj.get('content_type', 'binary/octet-stream'))

    def view(self, bodies=False):
        out = {}
        for name, bucket in self.data['buckets'].items():
            objects = {}
            for key, obj in bucket['Objects'].items():
                entry = {'size': len(obj['Body']), 'sha256': hashlib.sha256(obj['Body']).hexdigest(),
                         'etag': obj['ETag'], 'content_type': obj['ContentType'], 'metadata': obj['Metadata']}
                if bodies:
                    entry['body_base64'] = base64.b64encode(obj['Body']).decode()
                objects[key] = entry
            out[name] = {'region': bucket['Region'], 'stack': bucket['Stack'], 'objects': objects}
        return {'buckets': out}


def _no_such_bucket(name):
    return AwsError('NoSuchBucket', 'The specified bucket does not exist', 404, extra={'BucketName': name})


def _checksums(params, body):
    """Content-MD5 and the x-amz-checksum-* headers against the body, as S3 checks them."""
    md5 = params.get('ContentMD5')
    if md5 is not None:
        try:
            digest = base64.b64decode(md5, validate=True)
        except ValueError:
            digest = b''
        if len(digest) != 16:
            raise AwsError('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400,
                           extra={'Content-MD5': md5})
        if digest != hashlib.md5(body).digest():
            raise AwsError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400,
                           extra={'ExpectedDigest': md5,
                                  'CalculatedDigest': base64.b64encode(hashlib.md5(body).digest()).decode()})
    computed = {
        'ChecksumSHA256': lambda: base64.b64encode(hashlib.sha256(body).digest()).decode(),
        'ChecksumSHA1': lambda: base64.b64encode(hashlib.sha1(body).digest()).decode(),
        'ChecksumCRC32': lambda: base64.b64encode((zlib.crc32(body) & 0xffffffff).to_bytes(4, 'big')).decode(),
    }
    for member, compute in computed.items():
        given = params.get(member)
        if given is not None and given != compute():
            algorithm = member[len('Checksum'):]
            raise AwsError('BadDigest', f'The {algorithm} you specified did not match the calculated checksum.',
                           400)


def _parse_range(header, size):
    match = re.fullmatch(r'bytes=(\d*)-(\d*)', header.strip())
    if not match or (not match.group(1) and not match.group(2)):
        return None  # S3 ignores a malformed Range
    first, last = match.group(1), match.group(2)
    if not first:
        length = int(last)
        return max(size - length, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size:
        raise AwsError('InvalidRange', 'The requested range is not satisfiable', 416,
                       extra={'RangeRequested': header, 'ActualObjectSize': size})
    return start, end


class S3(Service):
    name = 's3'

    def _bucket(self, name):
        bucket = self.store.bucket(name)
        if bucket is None:
            raise _no_such_bucket(name)
        return bucket

    def _object(self, call, head=False):
        bucket = self.store.bucket(call.params['Bucket'])
        if bucket is None:
            if head:
                raise AwsError('NoSuchBucket', '', 404, extra={'_empty_body': True})
            raise _no_such_bucket(call.params['Bucket'])
        obj = bucket['Objects'].get(call.params['Key'])
        if obj is None:
            if head:
                raise AwsError('NoSuchKey', '', 404, extra={'_empty_body': True})
            raise AwsError('NoSuchKey', 'The specified key does not exist.', 404,
                           extra={'Key': call.params['Key']})
        return obj

    def HeadBucket(self, call):
        if self.store.bucket(call.params['Bucket']) is None:
            raise AwsError('NoSuchBucket', '', 404, extra={'_empty_body': True})
        return {}

    def PutObject(self, call):
        params = call.params
        self._bucket(params['Bucket'])
        body = params.get('Body') or b''
        _checksums(params, body)
        self.store.put_object(params['Bucket'], params['Key'], body,
                              params.get('ContentType') or 'binary/octet-stream', params.get('Metadata'))
        obj = self.store.bucket(params['Bucket'])['Objects'][params['Key']]
        result = {'ETag': obj['ETag'], 'ServerSideEncryption': 'AES256'}
        for member in ('ChecksumSHA256', 'ChecksumSHA1', 'ChecksumCRC32', 'ChecksumCRC32C'):
            if params.get(member):
                result[member] = params[member]
        return result

    def _object_headers(self, obj):
        return {'ETag': obj['ETag'], 'LastModified': obj['LastModified'], 'ContentType': obj['ContentType'],
                'Metadata': obj['Metadata'], 'AcceptRanges': 'bytes', 'ServerSideEncryption': 'AES256'}

    def HeadObject(self, call):
        obj = self._object(call, head=True)
        return dict(self._object_headers(obj), ContentLength=len(obj['Body']))

    def GetObject(self, call):
        obj = self._object(call)
        body = obj['Body']
        result = self._object_headers(obj)
        header = call.request.header('range')
        span = _parse_range(header, len(body)) if header else None
        if span:
            start, end = span
            result.update(Body=body[start:end + 1], ContentRange=f'bytes {start}-{end}/{len(body)}',
                          ContentLength=end - start + 1, _status=206)
        else:
            result.update(Body=body, ContentLength=len(body))
        return result

    def DeleteObject(self, call):
        bucket = self._bucket(call.params['Bucket'])
        bucket['Objects'].pop(call.params['Key'], None)
        return {}

    def ListObjectsV2(self, call):
        params = call.params
        bucket = self._bucket(params['Bucket'])
        prefix = params.get('Prefix', '')
        delimiter = params.get('Delimiter')
        max_keys = params.get('MaxKeys', 1000)
        url = params.get('EncodingType') == 'url'
        after = params.get('ContinuationToken')
        if after is not None:
            try:
                after = base64.b64decode(after).decode()
            except ValueError:
                raise AwsError('InvalidArgument', 'The continuation token provided is incorrect', 400,
                               extra={'ArgumentName': 'continuation-token'})
        else:
            after = params.get('StartAfter', '')
        contents, prefixes, last, truncated = [], [], None, False
        for key in sorted(bucket['Objects']):
            if not key.startswith(prefix) or key <= after:
                continue
            entry_key = key
            if delimiter and delimiter in key[len(prefix):]:
                common = key[:len(prefix) + key[len(prefix):].index(delimiter) + len(delimiter)]
                if prefixes and prefixes[-1] == common:
                    continue
                entry_key = common
            if len(contents) + len(prefixes) >= max_keys:
                truncated = True
                break
            if entry_key != key:
                prefixes.append(entry_key)
            else:
                obj = bucket['Objects'][key]
                contents.append({'Key': quote_plus(key, safe='/') if url else key,
                                 'LastModified': obj['LastModified'], 'ETag': obj['ETag'],
                                 'Size': len(obj['Body']), 'StorageClass': 'STANDARD'})
            last = entry_key
        result = {'Name': params['Bucket'], 'Prefix': quote_plus(prefix, safe='/') if url else prefix,
                  'MaxKeys': max_keys, 'KeyCount': len(contents) + len(prefixes), 'IsTruncated': truncated,
                  'Contents': contents or None,
                  'CommonPrefixes': [{'Prefix': quote_plus(p, safe='/') if url else p} for p in prefixes] or None}
        if delimiter:
            result['Delimiter'] = quote_plus(delimiter, safe='/') if url else delimiter
        if url:
            result['EncodingType'] = 'url'
        if params.get('ContinuationToken'):
            result['ContinuationToken'] = params['ContinuationToken']
        if params.get('StartAfter'):
            result['StartAfter'] = params['StartAfter']
        if truncated and last is not None:
            if last.endswith(delimiter or '\0'):
                last = last + '\uffff'
            result['NextContinuationToken'] = base64.b64encode(last.encode()).decode()
        return result
