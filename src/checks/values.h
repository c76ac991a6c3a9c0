// What a value in a finished CloudFormation template is known to be before it is deployed.
//
// The rules read property values through a Resolver, which handles the intrinsic functions
// deliberately, the same way for every rule:
//   - a literal is itself;
//   - {"Ref": P} to a template parameter is the value supplied for P when there is one (deploy
//     knows it), otherwise P's Default: the value the stack gets when nobody overrides it. So a
//     CidrIp that is a Ref to a parameter whose Default is 0.0.0.0/0 counts as open to the world.
//     A parameter without a Default and without a supplied value is unknown;
//   - Fn::If may take either branch (the condition is decided at deploy time): a rule fails when
//     any branch fails it;
//   - Fn::FindInMap with keys known only at deploy time may be any value of the map at that level;
//   - Fn::Join, Fn::Sub and Fn::Select of known parts are computed;
//   - everything else (Fn::GetAtt, Fn::ImportValue, Fn::GetAZs, Ref to a resource or a pseudo
//     parameter, ...) is unknown.
// An unknown value never makes a rule fail on its own: the rules flag what is known to be wrong.
#ifndef STACKS_RUNNER_CHECKS_VALUES_H_
#define STACKS_RUNNER_CHECKS_VALUES_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sr::checks {

using Json = nlohmann::ordered_json;

// The values a template value may take.
struct Possible {
  std::vector<Json> known;     // literal values (never intrinsic functions)
  bool unknown = false;        // some outcome is known only at deploy time
  bool may_be_absent = false;  // some outcome is AWS::NoValue
};

class Resolver {
 public:
  // `parameter_values`: values supplied for the template's parameters (may be empty).
  explicit Resolver(const Json& template_json, std::map<std::string, Json> parameter_values = {});

  Possible Resolve(const Json& value) const;

  // The one string `value` is known to be, or nothing (unknown, several values, not a string).
  std::optional<std::string> KnownString(const Json& value) const;

  // The logical id `value` refers to through Ref or Fn::GetAtt, or "" when it is neither.
  static std::string ReferencedId(const Json& value);

  const Json& template_json() const { return template_; }

 private:
  Possible ResolveDepth(const Json& value, int depth) const;
  Possible ResolveSub(const std::string& text, const Json& variables, int depth) const;

  const Json& template_;
  std::map<std::string, Json> parameter_values_;
};

// True when `value` is an object with exactly one key naming an intrinsic function or Ref.
bool IsIntrinsic(const Json& value);

// cdk-nag's flattening of a reference into a string (its utils/flatten-cfn-reference), so that
// granular findings ("Resource::<AssetsBucket.Arn>/*") read the same as cdk-nag's and one
// applies_to entry suppresses both: ${X} of Fn::Sub becomes <X>, Ref X becomes <X>, GetAtt X.Y
// becomes <X.Y>, Fn::Join joins its parts, Fn::ImportValue is its name; anything else is its JSON.
std::string Flatten(const Json& value);

// Boolean properties as CloudFormation (and cdk-nag through CfnInclude) read them: true or "true".
bool IsTrue(const Json& value);
bool IsFalse(const Json& value);

// A JSON array as is, anything else as a one-element array (a missing value: empty).
std::vector<Json> AsList(const Json& value);

// value[key] when value is an object holding key, else null.
const Json& Get(const Json& value, const std::string& key);

}  // namespace sr::checks

#endif  // STACKS_RUNNER_CHECKS_VALUES_H_
