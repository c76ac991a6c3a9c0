#!/usr/bin/env python3
"""Compares stacks-runner's security checks with the real cdk-nag, for tests/cdk-nag.

    compare.py OURS.json CDK_NAG.json EXPECTED.json...

OURS.json is nag_check's report, CDK_NAG.json run_cdk_nag.js's; both name each template by its
path WORK/CASE/STACK.template.json. EXPECTED.json files map a case to the rule ids that must report
it unsuppressed; a case named sample-* or clean-* must have no unsuppressed error at all, from
either tool.
For AwsSolutions rule ids the two must report the same findings (template, resource, rule,
granular finding, suppressed or not); StacksRunner ids are ours alone. Exits 1 on any difference.
"""
import json
import os
import sys

ours_file, theirs_file = sys.argv[1:3]
with open(ours_file) as f:
    ours = json.load(f)["findings"]
with open(theirs_file) as f:
    theirs = json.load(f)["findings"]
expected = {}
for expected_file in sys.argv[3:]:
    with open(expected_file) as f:
        expected.update(json.load(f))


def case_of(path):
    return os.path.basename(os.path.dirname(path))


def key(template, resource, rule, finding, suppressed):
    return (case_of(template), os.path.basename(template), resource, rule, finding,
            "suppressed" if suppressed else "NON-COMPLIANT")


problems = []
our_keys = {key(f["stack"], f["resourceId"], f["ruleId"], f["findingId"],
                f["compliance"] == "Suppressed")
            for f in ours if f["ruleId"].startswith("AwsSolutions-")}
their_keys = set()
for f in theirs:
    if f["compliance"] == "ValidationFailure":
        problems.append(f"cdk-nag could not validate {f['ruleId']} on {case_of(f['template'])}/"
                        f"{os.path.basename(f['template'])} {f['resource']}: {f['reason']}")
        continue
    their_keys.add(key(f["template"], f["resource"], f["ruleId"], f["findingId"],
                       f["compliance"] == "Suppressed"))

for k in sorted(our_keys - their_keys):
    problems.append("only stacks-runner reports: " + " ".join(k))
for k in sorted(their_keys - our_keys):
    problems.append("only cdk-nag reports:       " + " ".join(k))

cases = sorted({case_of(f["stack"]) for f in ours} | set(expected) |
               {case_of(f["template"]) for f in theirs})
for case in cases:
    unsuppressed_ours = {f["ruleId"] for f in ours
                         if case_of(f["stack"]) == case and f["compliance"] != "Suppressed"}
    if case.startswith(("sample-", "clean-")):
        for f in ours:
            if (case_of(f["stack"]) == case and f["compliance"] != "Suppressed"
                    and f["ruleLevel"] == "Error"):
                problems.append(f"{case}: stacks-runner: unsuppressed {f['ruleId']} on "
                                f"{os.path.basename(f['stack'])} {f['resourceId']}"
                                f"{'[' + f['findingId'] + ']' if f['findingId'] else ''}")
        for f in theirs:
            if (case_of(f["template"]) == case and f["compliance"] == "Non-Compliant"
                    and f["level"] == "Error"):
                problems.append(f"{case}: cdk-nag: unsuppressed {f['ruleId']} on "
                                f"{os.path.basename(f['template'])} {f['resource']}"
                                f"{'[' + f['findingId'] + ']' if f['findingId'] else ''}")
    for rule in expected.get(case, []):
        if rule not in unsuppressed_ours:
            problems.append(f"{case}: expected an unsuppressed {rule} from stacks-runner, got none")
        if rule.startswith("AwsSolutions-") and not any(
                case_of(f["template"]) == case and f["ruleId"] == rule
                and f["compliance"] == "Non-Compliant" for f in theirs):
            problems.append(f"{case}: expected an unsuppressed {rule} from cdk-nag, got none")

print(f"compare.py: {len(cases)} cases, {len(our_keys)} AwsSolutions findings from stacks-runner, "
      f"{len(their_keys)} from cdk-nag")
for p in problems:
    print("  " + p)
sys.exit(1 if problems else 0)
