"""Self-tests of the protocol layer, for every operation the fakes implement, with no server:

- responses: a sample output (every member of the output shape filled in) serialized by the fake
  and parsed back by botocore's parser for the protocol must come back equal;
- errors: every protocol's error shape parses to the code and message;
- requests: sample inputs serialized by botocore's serializer and deserialized by the fake must
  come back equal, and pass the fake's validation.
"""
import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fakeaws  # noqa: E402,F401  (Debian's botocore first)
from botocore.compat import HTTPHeaders  # noqa: E402
from botocore.parsers import create_parser  # noqa: E402
from botocore.serialize import create_serializer  # noqa: E402

from fakeaws import models, protocols  # noqa: E402
from fakeaws.errors import AwsError  # noqa: E402
from fakeaws.services import SERVICES  # noqa: E402
from fakeaws.state import State  # noqa: E402

STAMP = datetime.datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=datetime.timezone.utc)


def sample(shape, depth=0, name='v'):
    """A value with every member of `shape` set (two entries per list, so flattened lists show)."""
    kind = shape.type_name
    if kind == 'structure':
        if depth > 5:
            return {}
        return {m: sample(s, depth + 1, m) for m, s in shape.members.items()
                if not s.serialization.get('eventstream') and not s.metadata.get('streaming')}
    if kind == 'list':
        return [sample(shape.member, depth + 1, name + '1'), sample(shape.member, depth + 1, name + '2')]
    if kind == 'map':
        return {'k1': sample(shape.value, depth + 1, name + 'k1'), 'k2': sample(shape.value, depth + 1, name + 'k2')}
    if kind == 'string':
        enum = shape.metadata.get('enum')
        return enum[-1] if enum else f'{name}-text <&>'
    if kind in ('integer', 'long'):
        return 7
    if kind in ('float', 'double'):
        return 1.5
    if kind == 'boolean':
        return True
    if kind == 'timestamp':
        return STAMP
    if kind == 'blob':
        return b'blob\x00bytes'
    raise AssertionError(kind)


def implemented():
    state = State()
    for name, (service_class, _) in sorted(SERVICES.items()):
        service = models.service(name)
        for op in service_class(state).implemented():
            yield service, service.operation(op)


def as_http(response):
    headers = HTTPHeaders()
    for key, value in response.headers:
        headers[key] = value
    return {'status_code': response.status, 'headers': headers, 'body': response.body}


class ResponseRoundTrip(unittest.TestCase):
    def test_every_implemented_operation_parses(self):
        count = 0
        for service, op in implemented():
            self.assertIsNotNone(op, 'an implemented method has no operation in the model')
            if service.protocol == 'rest-xml' or op.output_shape is None:
                continue  # S3 is checked end to end with botocore clients (streaming bodies, headers)
            with self.subTest(service=service.name, operation=op.name):
                value = sample(op.output_shape)
                response = protocols.serialize_result(service, op, value, 'req-1')
                parsed = create_parser(service.protocol).parse(as_http(response), op.output_shape)
                metadata = parsed.pop('ResponseMetadata')
                self.assertEqual(metadata.get('RequestId'), 'req-1')
                self.assertEqual(parsed, value)
                count += 1
        self.assertGreater(count, 30)

    def test_s3_list_objects_v2(self):
        service = models.service('s3')
        op = service.operation('ListObjectsV2')
        value = sample(op.output_shape)
        response = protocols.serialize_result(service, op, value, 'req-2')
        parsed = create_parser('rest-xml').parse(as_http(response), op.output_shape)
        self.assertEqual(parsed.pop('ResponseMetadata')['RequestId'], 'req-2')
        self.assertEqual(parsed, value)

    def test_errors_parse(self):
        for protocol in ('query', 'ec2', 'json', 'rest-xml'):
            with self.subTest(protocol=protocol):
                error = AwsError('SomeCode', 'some <message> & more', 400)
                response = protocols.serialize_error(protocol, error, 'req-3')
                parsed = create_parser(protocol).parse(as_http(response), None)
                self.assertEqual(parsed['Error']['Code'], 'SomeCode')
                self.assertEqual(parsed['Error']['Message'], 'some <message> & more')
                self.assertEqual(parsed['ResponseMetadata']['RequestId'], 'req-3')


class RequestRoundTrip(unittest.TestCase):
    def test_every_implemented_operation_deserializes(self):
        for service, op in implemented():
            if service.protocol == 'rest-xml' or op.input_shape is None:
                continue
            with self.subTest(service=service.name, operation=op.name):
                value = sample(op.input_shape)
                serialized = create_serializer(service.protocol, include_validation=False).serialize_to_request(value, op)
                if service.protocol in ('query', 'ec2'):
                    pairs = [(k, str(v)) for k, v in serialized['body'].items()]
                    self.assertIn(('Action', op.name), pairs)
                    got = protocols.QueryDeserializer(ec2=service.protocol == 'ec2').deserialize(pairs, op.input_shape)
                else:
                    got = protocols.deserialize_json(serialized['body'], op.input_shape)
                self.assertEqual(got, value)

    def test_validation_names_the_parameter(self):
        cfn = models.service('cloudformation')
        op = cfn.operation('CreateChangeSet')
        with self.assertRaises(AwsError) as caught:
            protocols.validate({'StackName': 'x'}, op.input_shape, 'query')
        self.assertEqual(caught.exception.code, 'ValidationError')
        self.assertIn("Value null at 'changeSetName' failed to satisfy constraint: Member must not be null",
                      caught.exception.message)
        with self.assertRaises(AwsError) as caught:
            protocols.validate({'StackName': 'x', 'ChangeSetName': '1bad'}, op.input_shape, 'query')
        self.assertIn("at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression "
                      'pattern', caught.exception.message)
        with self.assertRaises(AwsError) as caught:
            protocols.validate({'StackName': 'x', 'ChangeSetName': 'c', 'ChangeSetType': 'SOMETIMES'},
                               op.input_shape, 'query')
        self.assertIn('Member must satisfy enum value set: [CREATE, UPDATE, IMPORT]', caught.exception.message)


if __name__ == '__main__':
    unittest.main()
