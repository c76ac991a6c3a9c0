"""The wire protocols, driven by botocore's shapes: requests in, responses and errors out.

query (CloudFormation, STS, Auto Scaling, CloudWatch), ec2, json (SSM, Secrets Manager, CloudWatch
Logs) and rest-xml (S3). Each request deserializer mirrors botocore's serializer for the protocol, so
what botocore writes comes back as the parameters the caller passed; each response serializer
writes what botocore's parser for the protocol reads (the self-tests check both ways).
"""
import base64
import binascii
import datetime
import json
import re
import xml.etree.ElementTree as ET

from .errors import AwsError, common_error
from .wire import HttpResponse, iso8601, parse_timestamp, rfc822

# ---------------------------------------------------------------------------------------------
# Requests


class ParamError(Exception):
    """A parameter that cannot be read: `kind` is 'unknown' or 'invalid'."""

    def __init__(self, kind, name, value=None):
        super().__init__(name)
        self.kind = kind
        self.name = name
        self.value = value


def _scalar_from_text(shape, text, name):
    kind = shape.type_name
    try:
        if kind in ('integer', 'long'):
            return int(text)
        if kind in ('float', 'double'):
            value = float(text)
            return value
        if kind == 'boolean':
            if text not in ('true', 'false'):
                raise ValueError(text)
            return text == 'true'
        if kind == 'timestamp':
            return parse_timestamp(text)
        if kind == 'blob':
            return base64.b64decode(text, validate=True)
    except (ValueError, binascii.Error):
        raise ParamError('invalid', name, text) from None
    return text


class QueryDeserializer:
    """Flat `Name.member.1.Key=value` pairs back into nested parameters (query and ec2)."""

    def __init__(self, ec2=False):
        self.ec2 = ec2

    def deserialize(self, pairs, shape):
        flat = {}
        for key, value in pairs:
            flat.setdefault(key, value)
        flat.pop('Action', None)
        flat.pop('Version', None)
        used = set()
        params = self._structure(flat, used, shape, '') if shape is not None else {}
        unknown = sorted(set(flat) - used)
        if unknown:
            raise ParamError('unknown', unknown[0])
        return params

    def _name(self, shape, default):
        ser = shape.serialization
        if self.ec2:
            if 'queryName' in ser:
                return ser['queryName']
            if 'name' in ser:
                return ser['name'][0].upper() + ser['name'][1:]
            return default
        return ser.get('name', default)

    @staticmethod
    def _present(flat, prefix):
        dotted = prefix + '.'
        return prefix in flat or any(k.startswith(dotted) for k in flat)

    def _value(self, flat, used, shape, prefix):
        kind = shape.type_name
        if kind == 'structure':
            return self._structure(flat, used, shape, prefix)
        if kind == 'list':
            return self._list(flat, used, shape, prefix)
        if kind == 'map':
            return self._map(flat, used, shape, prefix)
        used.add(prefix)
        if prefix not in flat:
            raise ParamError('invalid', prefix)
        return _scalar_from_text(shape, flat[prefix], prefix)

    def _structure(self, flat, used, shape, prefix):
        result = {}
        for member_name, member in shape.members.items():
            key = self._name(member, member_name)
            full = f'{prefix}.{key}' if prefix else key
            if member.type_name == 'list' and not self.ec2 and member.serialization.get('flattened'):
                if member.member.serialization.get('name'):
                    full = '.'.join(full.split('.')[:-1] + [self._name(member.member, '')])
            if self._present(flat, full):
                result[member_name] = self._value(flat, used, member, full)
        return result

    @staticmethod
    def _indexes(flat, prefix):
        dotted = prefix + '.'
        found = set()
        for key in flat:
            if key.startswith(dotted):
                head = key[len(dotted):].split('.', 1)[0]
                if head.isdigit():
                    found.add(int(head))
        return sorted(found)

    def _list(self, flat, used, shape, prefix):
        if flat.get(prefix) == '':
            used.add(prefix)
            return []
        if self.ec2 or shape.serialization.get('flattened'):
            item_prefix = prefix
        else:
            item_prefix = f"{prefix}.{shape.member.serialization.get('name', 'member')}"
        return [self._value(flat, used, shape.member, f'{item_prefix}.{i}')
                for i in self._indexes(flat, item_prefix)]

    def _map(self, flat, used, shape, prefix):
        entry = prefix if shape.serialization.get('flattened') else f'{prefix}.entry'
        key_name = self._name(shape.key, 'key')
        value_name = self._name(shape.value, 'value')
        result = {}
        for i in self._indexes(flat, entry):
            key = self._value(flat, used, shape.key, f'{entry}.{i}.{key_name}')
            value_prefix = f'{entry}.{i}.{value_name}'
            if self._present(flat, value_prefix):
                result[key] = self._value(flat, used, shape.value, value_prefix)
        return result


def deserialize_json(body, shape):
    """A JSON protocol body into parameters (timestamps and blobs converted)."""
    if not body.strip():
        data = {}
    else:
        try:
            data = json.loads(body)
        except ValueError:
            raise AwsError('SerializationException', 'Start of structure or map found where not expected.')
    if not isinstance(data, dict):
        raise AwsError('SerializationException', 'Start of structure or map found where not expected.')
    if shape is None:
        return {}
    return _json_value(data, shape, '')


def _json_value(value, shape, name):
    kind = shape.type_name
    if value is None:
        return None
    if kind == 'structure':
        if not isinstance(value, dict):
            return value  # the validator names the bad type
        by_wire_name = {m.serialization.get('name', n): n for n, m in shape.members.items()}
        result = {}
        for key, item in value.items():
            member_name = by_wire_name.get(key)
            if member_name is None:
                raise ParamError('unknown', f'{name}.{key}' if name else key)
            result[member_name] = _json_value(item, shape.members[member_name],
                                              f'{name}.{member_name}' if name else member_name)
        return result
    if kind == 'list':
        if not isinstance(value, list):
            return value
        return [_json_value(v, shape.member, f'{name}[{i}]') for i, v in enumerate(value)]
    if kind == 'map':
        if not isinstance(value, dict):
            return value
        return {k: _json_value(v, shape.value, f'{name}.{k}') for k, v in value.items()}
    if kind == 'timestamp' and isinstance(value, (int, float, str)) and not isinstance(value, bool):
        try:
            return parse_timestamp(value)
        except ValueError:
            raise ParamError('invalid', name, value) from None
    if kind == 'blob' and isinstance(value, str):
        try:
            return base64.b64decode(value, validate=True)
        except binascii.Error:
            raise ParamError('invalid', name, value) from None
    if kind in ('float', 'double') and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def deserialize_rest(request, op_model, labels):
    """rest-xml inputs: URI labels, query string, headers and the payload member."""
    shape = op_model.input_shape
    params = {}
    if shape is None:
        return params
    query = {}
    for key, value in request.query_pairs():
        query.setdefault(key, []).append(value)
    payload = shape.serialization.get('payload')
    for member_name, member in shape.members.items():
        ser = member.serialization
        location = ser.get('location')
        wire = ser.get('name', member_name)
        if location == 'uri':
            if wire in labels:
                params[member_name] = labels[wire]
        elif location == 'querystring':
            if member.type_name == 'map':
                continue
            if wire in query:
                values = query[wire]
                if member.type_name == 'list':
                    params[member_name] = [_scalar_from_text(member.member, v, member_name) for v in values]
                else:
                    params[member_name] = _scalar_from_text(member, values[0], member_name)
        elif location == 'header':
            value = request.header(wire)
            if value is not None:
                if member.type_name == 'timestamp':
                    try:
                        params[member_name] = parse_timestamp(value)
                    except ValueError:
                        raise ParamError('invalid', member_name, value) from None
                elif member.type_name == 'list':
                    params[member_name] = [v.strip() for v in value.split(',')]
                else:
                    params[member_name] = _scalar_from_text(member, value, member_name)
        elif location == 'headers':
            prefix = wire.lower()
            found = {k[len(prefix):]: v for k, v in request.headers.items()
                     if k.lower().startswith(prefix)}
            if found:
                params[member_name] = found
        elif member_name == payload and member.type_name in ('blob', 'string'):
            params[member_name] = request.body
    return params


# ---------------------------------------------------------------------------------------------
# Responses


def _scalar_text(shape, value):
    kind = shape.type_name
    if kind == 'boolean':
        return 'true' if value else 'false'
    if kind == 'timestamp':
        fmt = shape.serialization.get('timestampFormat', 'iso8601')
        if isinstance(value, datetime.datetime):
            if fmt == 'unixTimestamp':
                return str(int(value.timestamp()))
            if fmt == 'rfc822':
                return rfc822(value)
            return iso8601(value)
        return str(value)
    if kind == 'blob':
        return base64.b64encode(value if isinstance(value, bytes) else value.encode()).decode()
    if kind in ('float', 'double'):
        return repr(float(value))
    if kind in ('integer', 'long'):
        return str(int(value))
    return str(value)


def _xml_into(element, shape, value):
    """Fill `element` with `value` as `shape` says (botocore's XML parser reads it back)."""
    kind = shape.type_name
    if kind == 'structure':
        for member_name, member in shape.members.items():
            item = value.get(member_name)
            if item is None or member.serialization.get('location'):
                continue
            if member.serialization.get('xmlAttribute'):
                element.set(member.serialization['name'], _scalar_text(member, item))
                continue
            flattened = member.serialization.get('flattened')
            if member.type_name == 'list' and flattened:
                tag = member.member.serialization.get('name') or member.serialization.get('name', member_name)
                for entry in item:
                    _xml_into(ET.SubElement(element, tag), member.member, entry)
            elif member.type_name == 'map' and flattened:
                tag = member.serialization.get('name', member_name)
                for key, entry in item.items():
                    _map_entry(ET.SubElement(element, tag), member, key, entry)
            else:
                _xml_into(ET.SubElement(element, member.serialization.get('name', member_name)),
                          member, item)
    elif kind == 'list':
        tag = shape.member.serialization.get('name', 'member')
        for entry in value:
            _xml_into(ET.SubElement(element, tag), shape.member, entry)
    elif kind == 'map':
        for key, entry in value.items():
            _map_entry(ET.SubElement(element, 'entry'), shape, key, entry)
    else:
        element.text = _scalar_text(shape, value)


def _map_entry(element, shape, key, value):
    _xml_into(ET.SubElement(element, shape.key.serialization.get('name', 'key')), shape.key, key)
    _xml_into(ET.SubElement(element, shape.value.serialization.get('name', 'value')), shape.value, value)


def _xml_bytes(root):
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding='utf-8')


def _json_out(shape, value):
    kind = shape.type_name
    if value is None:
        return None
    if kind == 'structure':
        out = {}
        for member_name, member in shape.members.items():
            if value.get(member_name) is not None:
                out[member.serialization.get('name', member_name)] = _json_out(member, value[member_name])
        return out
    if kind == 'list':
        return [_json_out(shape.member, v) for v in value]
    if kind == 'map':
        return {k: _json_out(shape.value, v) for k, v in value.items()}
    if kind == 'timestamp' and isinstance(value, datetime.datetime):
        return value.timestamp()
    if kind == 'blob':
        return base64.b64encode(value).decode()
    return value


def serialize_result(service, op_model, result, request_id):
    """A successful response of `op_model` carrying `result` (a dict shaped like its output)."""
    result = result or {}
    shape = op_model.output_shape
    protocol = service.protocol
    headers = [('x-amzn-RequestId', request_id)]
    if protocol == 'query':
        root = ET.Element(f'{op_model.name}Response', xmlns=service.xml_namespace)
        if shape is not None:
            wrapper = shape.serialization.get('resultWrapper', f'{op_model.name}Result')
            _xml_into(ET.SubElement(root, wrapper), shape, result)
        meta = ET.SubElement(root, 'ResponseMetadata')
        ET.SubElement(meta, 'RequestId').text = request_id
        headers.append(('Content-Type', 'text/xml'))
        return HttpResponse(200, headers, _xml_bytes(root))
    if protocol == 'ec2':
        root = ET.Element(f'{op_model.name}Response', xmlns=service.xml_namespace)
        ET.SubElement(root, 'requestId').text = request_id
        if shape is not None:
            _xml_into(root, shape, result)
        headers.append(('Content-Type', 'text/xml;charset=UTF-8'))
        return HttpResponse(200, headers, _xml_bytes(root))
    if protocol == 'json':
        body = json.dumps(_json_out(shape, result) if shape is not None else {})
        headers.append(('Content-Type', f'application/x-amz-json-{service.json_version}'))
        return HttpResponse(200, headers, body)
    if protocol == 'rest-xml':
        return _rest_xml_result(op_model, shape, result, request_id)
    raise ValueError(f'unsupported protocol {protocol}')


# Root elements of the S3 responses whose output shape does not name one.
_S3_ROOTS = {'ListObjectsV2': 'ListBucketResult', 'ListObjects': 'ListBucketResult',
             'ListBuckets': 'ListAllMyBucketsResult'}


def _rest_xml_result(op_model, shape, result, request_id):
    headers = [('x-amz-request-id', request_id), ('x-amz-id-2', base64.b64encode(request_id.encode()).decode())]
    status = result.get('_status') or op_model.http.get('responseCode', 200)
    body = b''
    if shape is not None:
        for member_name, member in shape.members.items():
            value = result.get(member_name)
            if value is None:
                continue
            location = member.serialization.get('location')
            wire = member.serialization.get('name', member_name)
            if location == 'header':
                if member.type_name == 'timestamp':
                    fmt = member.serialization.get('timestampFormat', 'rfc822')
                    text = rfc822(value) if fmt == 'rfc822' else _scalar_text(member, value)
                elif member.type_name == 'list':
                    text = ','.join(str(v) for v in value)
                else:
                    text = _scalar_text(member, value)
                headers.append((wire, text))
            elif location == 'headers':
                headers.extend((wire + k, v) for k, v in value.items())
            elif location == 'statusCode':
                status = value
        payload = shape.serialization.get('payload')
        if payload:
            value = result.get(payload)
            member = shape.members[payload]
            if value is not None and member.type_name in ('blob', 'string'):
                body = value if isinstance(value, bytes) else value.encode()
            elif value is not None:
                root = ET.Element(member.serialization.get('name', payload),
                                  xmlns='http://s3.amazonaws.com/doc/2006-03-01/')
                _xml_into(root, member, value)
                body = _xml_bytes(root)
                headers.append(('Content-Type', 'application/xml'))
        elif any(not m.serialization.get('location') for m in shape.members.values()):
            root_name = shape.serialization.get('name') or _S3_ROOTS.get(op_model.name, op_model.name + 'Result')
            root = ET.Element(root_name, xmlns='http://s3.amazonaws.com/doc/2006-03-01/')
            _xml_into(root, shape, result)
            body = _xml_bytes(root)
            headers.append(('Content-Type', 'application/xml'))
    return HttpResponse(status, headers, body)


def serialize_error(protocol, error, request_id, json_version='1.1'):
    """`error` (an AwsError) in the protocol's error shape."""
    headers = [('x-amzn-RequestId', request_id)] + list(error.headers.items())
    if protocol == 'query':
        root = ET.Element('ErrorResponse', xmlns='http://webservices.amazon.com/AWSFault/2005-15-09')
        err = ET.SubElement(root, 'Error')
        ET.SubElement(err, 'Type').text = 'Sender' if error.sender else 'Receiver'
        ET.SubElement(err, 'Code').text = error.code
        ET.SubElement(err, 'Message').text = error.message
        for key, value in error.extra.items():
            ET.SubElement(err, key).text = str(value)
        ET.SubElement(root, 'RequestId').text = request_id
        headers.append(('Content-Type', 'text/xml'))
        return HttpResponse(error.status, headers, _xml_bytes(root))
    if protocol == 'ec2':
        root = ET.Element('Response')
        errors = ET.SubElement(root, 'Errors')
        err = ET.SubElement(errors, 'Error')
        ET.SubElement(err, 'Code').text = error.code
        ET.SubElement(err, 'Message').text = error.message
        ET.SubElement(root, 'RequestID').text = request_id
        headers.append(('Content-Type', 'text/xml;charset=UTF-8'))
        return HttpResponse(error.status, headers, _xml_bytes(root))
    if protocol == 'json':
        body = {'__type': error.code}
        if error.message is not None:
            body['message'] = error.message
        body.update(error.extra)
        headers.append(('x-amzn-ErrorType', error.code))
        headers.append(('Content-Type', f'application/x-amz-json-{json_version}'))
        return HttpResponse(error.status, headers, json.dumps(body))
    if protocol == 'rest-xml':
        headers = [('x-amz-request-id', request_id),
                   ('x-amz-id-2', base64.b64encode(request_id.encode()).decode())] + list(error.headers.items())
        if error.extra.get('_empty_body'):
            return HttpResponse(error.status, headers, b'')
        root = ET.Element('Error')
        ET.SubElement(root, 'Code').text = error.code
        ET.SubElement(root, 'Message').text = error.message
        for key, value in error.extra.items():
            ET.SubElement(root, key).text = str(value)
        ET.SubElement(root, 'RequestId').text = request_id
        ET.SubElement(root, 'HostId').text = base64.b64encode(request_id.encode()).decode()
        headers.append(('Content-Type', 'application/xml'))
        return HttpResponse(error.status, headers, _xml_bytes(root))
    raise ValueError(f'unsupported protocol {protocol}')


# ---------------------------------------------------------------------------------------------
# Parameter validation


def _coral_path(name):
    """botocore's 'Parameters[0].ParameterKey' as AWS names it: 'parameters.1.member.parameterKey'."""
    parts = []
    for piece in re.findall(r'[^.\[\]]+|\[\d+\]', name.lstrip('.')):
        if piece.startswith('['):
            parts.append(f'{int(piece[1:-1]) + 1}.member')
        else:
            parts.append(piece[:1].lower() + piece[1:])
    return '.'.join(parts) or 'input'


def _show(value):
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 256 else f"'{value[:256]}...'"
    return f"'{value}'"


def _constraint_problems(value, shape, name, out, wire_locations=False):
    """What botocore's validator leaves out: maximums, enums and patterns."""
    if value is None:
        return
    kind = shape.type_name
    meta = shape.metadata
    if kind == 'structure' and isinstance(value, dict):
        for member_name, member in shape.members.items():
            if member_name in value:
                _constraint_problems(value[member_name], member, f'{name}.{member_name}', out,
                                     wire_locations)
    elif kind == 'list' and isinstance(value, (list, tuple)):
        if 'max' in meta and len(value) > meta['max']:
            out.append((name, value, f'Member must have length less than or equal to {meta["max"]}'))
        for i, item in enumerate(value):
            _constraint_problems(item, shape.member, f'{name}[{i}]', out, wire_locations)
    elif kind == 'map' and isinstance(value, dict):
        for key, item in value.items():
            _constraint_problems(item, shape.value, f'{name}.{key}', out, wire_locations)
    elif kind == 'string' and isinstance(value, str):
        if 'max' in meta and len(value) > meta['max']:
            out.append((name, value, f'Member must have length less than or equal to {meta["max"]}'))
        enum = meta.get('enum')
        if enum and value not in enum and not (wire_locations and shape.serialization.get('location')):
            out.append((name, value, f'Member must satisfy enum value set: [{", ".join(enum)}]'))
        pattern = meta.get('pattern')
        if pattern:
            try:
                ok = re.fullmatch(pattern, value, re.S) is not None
            except re.error:
                ok = True  # a Java-only construct: leave it to the service
            if not ok:
                out.append((name, value, f'Member must satisfy regular expression pattern: {pattern}'))
    elif kind in ('integer', 'long', 'float', 'double') and isinstance(value, (int, float)) \
            and not isinstance(value, bool):
        if 'max' in meta and value > meta['max']:
            out.append((name, value, f'Member must have value less than or equal to {meta["max"]}'))


def validate(params, shape, protocol):
    """Checks `params` against the input shape with botocore's ParamValidator plus the maximum,
    enum and pattern constraints; raises the protocol's validation error naming the parameter."""
    if shape is None:
        if params:
            raise _unknown_param(protocol, next(iter(params)))
        return
    from botocore.validate import ParamValidator
    report = ParamValidator().validate(params, shape)
    problems = []  # (path, value or None, constraint)
    for reason, name, extra in getattr(report, '_errors', []):
        if reason == 'missing required field':
            path = f"{name}.{extra['required_name']}"
            if protocol == 'ec2':
                raise AwsError('MissingParameter',
                               f"The request must contain the parameter {extra['required_name']}")
            problems.append((path, None, 'Member must not be null'))
        elif reason == 'unknown field':
            raise _unknown_param(protocol, f"{name}.{extra['unknown_param']}".lstrip('.'))
        elif reason == 'invalid type':
            problems.append((name, extra.get('param'), 'Member must be of type ' +
                             '/'.join(str(t) for t in extra.get('valid_types', []))))
        elif reason in ('invalid length', 'invalid range'):
            what = 'length greater than or equal to' if reason == 'invalid length' else 'value greater than or equal to'
            problems.append((name, extra.get('param'), f"Member must have {what} {extra['min_allowed']}"))
        else:
            problems.append((name, None, reason))
    if not problems and report.has_errors() and not getattr(report, '_errors', None):
        problems.append(('input', None, report.generate_report()))
    _constraint_problems(params, shape, '', problems, wire_locations=(protocol == 'rest-xml'))
    if not problems:
        return
    if protocol == 'ec2':
        path, value, constraint = problems[0]
        raise AwsError('InvalidParameterValue',
                       f'Value ({value}) for parameter {path.lstrip(".")} is invalid. {constraint}')
    if protocol == 'rest-xml':
        path, value, constraint = problems[0]
        raise AwsError('InvalidArgument', f'{path.lstrip(".")}: {constraint}',
                       extra={'ArgumentName': path.lstrip('.')})
    count = len(problems)
    parts = [f"Value {'null' if value is None else _show(value)} at '{_coral_path(path)}' "
             f'failed to satisfy constraint: {constraint}' for path, value, constraint in problems]
    message = f"{count} validation error{'s' if count > 1 else ''} detected: " + '; '.join(parts)
    raise common_error('validation', protocol, message)


def _unknown_param(protocol, name):
    if protocol == 'ec2':
        return AwsError('UnknownParameter', f'The parameter {name} is not recognized')
    return common_error('validation', protocol, f'Unknown parameter in input: "{name}"')


def param_error(protocol, err):
    """The protocol's error for a ParamError raised while deserializing."""
    if err.kind == 'unknown':
        return _unknown_param(protocol, err.name)
    if protocol == 'ec2':
        return AwsError('InvalidParameterValue', f'Value ({err.value}) for parameter {err.name} is invalid.')
    if protocol == 'json':
        return AwsError('SerializationException', f'Could not read parameter {err.name}: {err.value!r}')
    return common_error('validation', protocol,
                        f"1 validation error detected: Value {_show(err.value)} at "
                        f"'{_coral_path(err.name)}' failed to satisfy constraint: Member has an invalid format")

