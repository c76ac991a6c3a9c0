"""CloudFormation templates: parsing, the checks CloudFormation makes before it accepts one, the
dependency graph, and the intrinsic functions evaluated against parameters and physical ids."""
import base64
import json
import re

from .resources import GETATT_ATTRIBUTES, IAM_NAME_PROPERTIES

PSEUDO_PARAMETERS = ('AWS::AccountId', 'AWS::Region', 'AWS::StackName', 'AWS::StackId',
                     'AWS::Partition', 'AWS::URLSuffix', 'AWS::NoValue', 'AWS::NotificationARNs')
SECTIONS = ('AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings',
            'Conditions', 'Transform', 'Resources', 'Outputs', 'Hooks')
_AWS_PARAM_TYPES = (
    'AWS::EC2::AvailabilityZone::Name', 'AWS::EC2::Image::Id', 'AWS::EC2::Instance::Id',
    'AWS::EC2::KeyPair::KeyName', 'AWS::EC2::SecurityGroup::GroupName', 'AWS::EC2::SecurityGroup::Id',
    'AWS::EC2::Subnet::Id', 'AWS::EC2::Volume::Id', 'AWS::EC2::VPC::Id', 'AWS::Route53::HostedZone::Id',
    'AWS::SSM::Parameter::Name')
PARAMETER_TYPES = re.compile(
    r'String|Number|List<Number>|CommaDelimitedList|'
    r'(?:List<)?(?:' + '|'.join(re.escape(t) for t in _AWS_PARAM_TYPES) + r')>?|'
    r'AWS::SSM::Parameter::Value<.+>')
_LOGICAL_ID = re.compile(r'[A-Za-z0-9]+')
_RESOURCE_TYPE = re.compile(r'(AWS|Alexa)::[A-Za-z0-9]+::[A-Za-z0-9]+(::[A-Za-z0-9]+)?|Custom::[A-Za-z0-9_@-]+')
_SUB_VAR = re.compile(r'\$\{([^}]*)\}')
MAX_TEMPLATE_BODY = 51200


class TemplateError(Exception):
    """A template CloudFormation refuses: the message is the service's."""


class MissingExport(Exception):
    def __init__(self, name):
        super().__init__(name)
        self.name = name


class _Unknown:
    """A value not known before deployment (the physical id of a resource still to be made)."""

    def __repr__(self):
        return '{{unknown}}'


UNKNOWN = _Unknown()
NO_VALUE = object()


def contains_unknown(value):
    if value is UNKNOWN:
        return True
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v) for v in value)
    return False


def _sub_names(text):
    """The names a Fn::Sub string refers to (${!Literal} excluded)."""
    return [m.group(1).strip() for m in _SUB_VAR.finditer(text) if not m.group(1).startswith('!')]


class Template:
    """A parsed template. Raises TemplateError with CloudFormation's message when it cannot be."""

    def __init__(self, body):
        self.body = body
        stripped = body.lstrip()
        if not stripped.startswith('{'):
            raise TemplateError('Template format error: the fake CloudFormation accepts JSON templates only')
        try:
            self.doc = json.loads(body)
        except json.JSONDecodeError as e:
            raise TemplateError(f'Template format error: JSON not well-formed. (line {e.lineno}, column {e.colno})')
        if not isinstance(self.doc, dict):
            raise TemplateError('Template format error: JSON not well-formed. (line 1, column 1)')
        self.parameters = self.doc.get('Parameters') or {}
        self.resources = self.doc.get('Resources') or {}
        self.outputs = self.doc.get('Outputs') or {}
        self.conditions = self.doc.get('Conditions') or {}
        self.mappings = self.doc.get('Mappings') or {}
        self.description = self.doc.get('Description')
        self._check()

    # -- the checks CloudFormation makes when it is handed the template ---------------------------

    def _check(self):
        unknown = [k for k in self.doc if k not in SECTIONS]
        if unknown:
            raise TemplateError(f'Template format error: Invalid template property or properties [{", ".join(unknown)}]')
        version = self.doc.get('AWSTemplateFormatVersion')
        if version is not None and version != '2010-09-09':
            raise TemplateError(f"Template format error: Unsupported template version: {version}. "
                                "AWSTemplateFormatVersion must be '2010-09-09'")
        if 'Transform' in self.doc:
            raise TemplateError('Template format error: the fake CloudFormation does not run transforms')
        if not isinstance(self.resources, dict) or not self.resources:
            raise TemplateError('Template format error: At least one Resources member must be defined.')
        for name, param in self.parameters.items():
            if not _LOGICAL_ID.fullmatch(name):
                raise TemplateError(f'Template format error: Parameter name {name} is non alphanumeric.')
            if not isinstance(param, dict) or 'Type' not in param:
                raise TemplateError(f'Template format error: Every Parameters object must contain a Type member.')
            if not PARAMETER_TYPES.fullmatch(str(param['Type'])):
                raise TemplateError(f"Template format error: Unrecognized parameter type: {param['Type']}")
        bad_types = []
        for name, res in self.resources.items():
            if not _LOGICAL_ID.fullmatch(name):
                raise TemplateError(f'Template format error: Resource name {name} is non alphanumeric.')
            if not isinstance(res, dict) or not isinstance(res.get('Type'), str):
                raise TemplateError(f'Template format error: [/Resources/{name}] Every Resources object must '
                                    'contain a Type member.')
            if not _RESOURCE_TYPE.fullmatch(res['Type']):
                bad_types.append(res['Type'])
        if bad_types:
            raise TemplateError(f'Template format error: Unrecognized resource types: [{", ".join(bad_types)}]')
        for name, output in self.outputs.items():
            if not isinstance(output, dict) or 'Value' not in output:
                raise TemplateError(f'Template format error: Every Outputs member must contain a Value object, '
                                    f'the Output {name} is missing the Value object')
        self._check_references()
        self.order()  # raises on circular dependencies

    def _check_references(self):
        names = set(self.parameters) | set(self.resources) | set(PSEUDO_PARAMETERS)
        for block, items in (('Resources', self.resources), ('Outputs', self.outputs)):
            missing = []
            for logical_id, body in items.items():
                refs, getatts = self._references(body)
                if block == 'Resources':
                    refs |= set(_as_list(body.get('DependsOn')))
                missing += [r for r in refs if r not in names and r not in missing]
                for res, attr in getatts:
                    if res not in self.resources:
                        raise TemplateError(f'Template error: instance of Fn::GetAtt references undefined resource {res}')
                    known = GETATT_ATTRIBUTES.get(self.resources[res]['Type'])
                    if known is not None and attr not in known and not attr.startswith('Outputs.'):
                        raise TemplateError(f'Template error: resource {res} does not support attribute type '
                                            f'{attr} in Fn::GetAtt')
                for cond in self._condition_names(body):
                    if cond not in self.conditions:
                        raise TemplateError(f'Template format error: Unresolved condition dependency {cond} in Fn::If')
            if missing:
                raise TemplateError(f'Template format error: Unresolved resource dependencies [{", ".join(missing)}] '
                                    f'in the {block} block of the template')
            for logical_id, body in items.items():
                cond = body.get('Condition') if isinstance(body, dict) else None
                if cond is not None and cond not in self.conditions:
                    raise TemplateError(f'Template format error: Unresolved dependencies [{cond}]. Cannot reference '
                                        'resources in the Conditions block of the template')

    def _references(self, value, refs=None, getatts=None):
        """Names used by Ref / Fn::Sub, and (resource, attribute) pairs of Fn::GetAtt."""
        refs = set() if refs is None else refs
        getatts = set() if getatts is None else getatts
        if isinstance(value, dict):
            if len(value) == 1:
                fn, arg = next(iter(value.items()))
                if fn == 'Ref' and isinstance(arg, str):
                    refs.add(arg)
                    return refs, getatts
                if fn == 'Fn::GetAtt':
                    pair = arg.split('.', 1) if isinstance(arg, str) else arg
                    if isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str):
                        getatts.add((pair[0], pair[1] if isinstance(pair[1], str) else ''))
                    return refs, getatts
                if fn == 'Fn::Sub':
                    text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1] if len(arg) > 1 else {})
                    for name in _sub_names(text):
                        if name in variables:
                            continue
                        if '.' in name and not name.startswith('AWS::'):
                            res, attr = name.split('.', 1)
                            getatts.add((res, attr))
                        else:
                            refs.add(name)
                    self._references(variables, refs, getatts)
                    return refs, getatts
            for item in value.values():
                self._references(item, refs, getatts)
        elif isinstance(value, list):
            for item in value:
                self._references(item, refs, getatts)
        return refs, getatts

    def _condition_names(self, value, out=None):
        out = [] if out is None else out
        if isinstance(value, dict):
            for key, item in value.items():
                if key == 'Fn::If' and isinstance(item, list) and item and isinstance(item[0], str):
                    out.append(item[0])
                self._condition_names(item, out)
        elif isinstance(value, list):
            for item in value:
                self._condition_names(item, out)
        return out

    # -- dependencies -------------------------------------------------------------------------

    def dependencies(self, logical_id):
        """The resources `logical_id` waits for: Ref, Fn::GetAtt, Fn::Sub and DependsOn."""
        body = self.resources[logical_id]
        refs, getatts = self._references({k: v for k, v in body.items() if k != 'DependsOn'})
        deps = {r for r in refs if r in self.resources} | {r for r, _ in getatts if r in self.resources}
        deps |= set(_as_list(body.get('DependsOn')))
        deps.discard(logical_id)
        return deps

    def order(self):
        """Resources in an order that creates each after what it depends on."""
        deps = {r: self.dependencies(r) for r in self.resources}
        done, order = set(), []
        while len(order) < len(deps):
            ready = [r for r in deps if r not in done and deps[r] <= done]
            if not ready:
                cycle = sorted(r for r in deps if r not in done)
                raise TemplateError(f'Circular dependency between resources: [{", ".join(cycle)}]')
            for r in ready:
                done.add(r)
                order.append(r)
        return order

    # -- capabilities ---------------------------------------------------------------------------

    def required_capability(self):
        """CAPABILITY_NAMED_IAM, CAPABILITY_IAM or None, by the IAM resources the template has."""
        needed = None
        for res in self.resources.values():
            if res['Type'] in IAM_NAME_PROPERTIES:
                name_prop = IAM_NAME_PROPERTIES[res['Type']]
                if name_prop and name_prop in (res.get('Properties') or {}):
                    return 'CAPABILITY_NAMED_IAM'
                needed = 'CAPABILITY_IAM'
        return needed


def _as_list(value):
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


class Evaluator:
    """Evaluates intrinsic functions. `resources` maps logical ids to {'ref': ..., 'attrs': {...}};
    a resource not in it (or not created yet) evaluates to UNKNOWN."""

    def __init__(self, template, parameters, pseudo, resources, exports, zones=()):
        self.template = template
        self.parameters = parameters  # name -> str or list of str
        self.pseudo = pseudo
        self.resources = resources
        self.exports = exports
        self.zones = list(zones)
        self.imported = set()
        self._conditions = {}

    def condition(self, name):
        if name not in self._conditions:
            if name not in self.template.conditions:
                raise TemplateError(f'Template format error: Unresolved condition dependency {name} in Fn::If')
            self._conditions[name] = bool(self.resolve(self.template.conditions[name]))
        return self._conditions[name]

    def active(self, body):
        cond = body.get('Condition') if isinstance(body, dict) else None
        return cond is None or self.condition(cond)

    def ref(self, name):
        if name in self.pseudo:
            return self.pseudo[name]
        if name == 'AWS::NoValue':
            return NO_VALUE
        if name in self.parameters:
            return self.parameters[name]
        if name in self.template.resources:
            res = self.resources.get(name)
            return res['ref'] if res and res.get('ref') is not None else UNKNOWN
        raise TemplateError(f'Template format error: Unresolved resource dependencies [{name}] in the '
                            'Resources block of the template')

    def getatt(self, name, attr):
        res = self.resources.get(name)
        if not res or res.get('ref') is None:
            return UNKNOWN
        if attr in res.get('attrs', {}):
            return res['attrs'][attr]
        return f'{res["ref"]}.{attr}'

    def resolve(self, value):
        if isinstance(value, list):
            out = [self.resolve(v) for v in value]
            return [v for v in out if v is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            fn, arg = next(iter(value.items()))
            handler = _FUNCTIONS.get(fn)
            if handler is not None:
                return handler(self, arg)
        out = {}
        for key, item in value.items():
            resolved = self.resolve(item)
            if resolved is not NO_VALUE:
                out[key] = resolved
        return out

    def sub(self, arg):
        if isinstance(arg, str):
            text, variables = arg, {}
        else:
            text, variables = arg[0], self.resolve(arg[1]) if len(arg) > 1 else {}
        unknown = False

        def replace(match):
            nonlocal unknown
            name = match.group(1).strip()
            if name.startswith('!'):
                return '${' + name[1:] + '}'
            if name in variables:
                value = variables[name]
            elif '.' in name and not name.startswith('AWS::'):
                value = self.getatt(*name.split('.', 1))
            else:
                value = self.ref(name)
            if value is UNKNOWN or contains_unknown(value):
                unknown = True
                return ''
            return ','.join(value) if isinstance(value, list) else str(value)
        result = _SUB_VAR.sub(replace, text)
        return UNKNOWN if unknown else result


def _fn_getatt(ev, arg):
    name, attr = arg.split('.', 1) if isinstance(arg, str) else (arg[0], ev.resolve(arg[1]))
    return ev.getatt(name, attr)


def _fn_join(ev, arg):
    delimiter, items = arg[0], ev.resolve(arg[1])
    if items is UNKNOWN or contains_unknown(items):
        return UNKNOWN
    return delimiter.join(str(i) for i in items)


def _fn_select(ev, arg):
    index, items = ev.resolve(arg[0]), ev.resolve(arg[1])
    if items is UNKNOWN or contains_unknown(items):
        return UNKNOWN
    try:
        return items[int(index)]
    except (IndexError, ValueError):
        raise TemplateError('Template error: Fn::Select cannot select nonexistent value at index '
                            f'{index}') from None


def _fn_split(ev, arg):
    text = ev.resolve(arg[1])
    return UNKNOWN if text is UNKNOWN else text.split(arg[0])


def _fn_base64(ev, arg):
    text = ev.resolve(arg)
    return UNKNOWN if text is UNKNOWN else base64.b64encode(str(text).encode()).decode()


def _fn_find_in_map(ev, arg):
    name, top, second = (ev.resolve(a) for a in arg[:3])
    try:
        return ev.template.mappings[name][top][second]
    except (KeyError, TypeError):
        raise TemplateError(f'Template error: Unable to get mapping for {name}::{top}::{second}') from None


def _fn_import_value(ev, arg):
    name = ev.resolve(arg)
    if name is UNKNOWN:
        return UNKNOWN
    if name not in ev.exports:
        raise MissingExport(name)
    ev.imported.add(name)
    return ev.exports[name]


def _fn_if(ev, arg):
    return ev.resolve(arg[1] if ev.condition(arg[0]) else arg[2])


def _fn_equals(ev, arg):
    left, right = ev.resolve(arg[0]), ev.resolve(arg[1])
    return str(left) == str(right) if not isinstance(left, list) else left == right


def _fn_get_azs(ev, arg):
    return list(ev.zones)


_FUNCTIONS = {
    'Ref': lambda ev, arg: ev.ref(arg),
    'Fn::GetAtt': _fn_getatt,
    'Fn::Sub': lambda ev, arg: ev.sub(arg),
    'Fn::Join': _fn_join,
    'Fn::Select': _fn_select,
    'Fn::Split': _fn_split,
    'Fn::Base64': _fn_base64,
    'Fn::FindInMap': _fn_find_in_map,
    'Fn::ImportValue': _fn_import_value,
    'Fn::If': _fn_if,
    'Fn::Equals': _fn_equals,
    'Fn::And': lambda ev, arg: all(ev.resolve(a) for a in arg),
    'Fn::Or': lambda ev, arg: any(ev.resolve(a) for a in arg),
    'Fn::Not': lambda ev, arg: not ev.resolve(arg[0]),
    'Condition': lambda ev, arg: ev.condition(arg),
    'Fn::GetAZs': _fn_get_azs,
}
