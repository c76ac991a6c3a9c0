// A CloudFormation template under construction, and the intrinsic functions to fill it with.
// Resources keep the order they were added in, so the same input gives the same bytes.
#ifndef STACKS_RUNNER_TEMPLATES_CFN_H_
#define STACKS_RUNNER_TEMPLATES_CFN_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace sr::templates {

using Json = nlohmann::ordered_json;

namespace cfn {
Json Ref(std::string_view name);
Json GetAtt(std::string_view resource, std::string_view attribute);
Json Sub(std::string_view text);
Json Sub(std::string_view text, Json variables);
Json Join(std::string_view separator, Json parts);
Json ImportValue(std::string_view export_name);
Json Base64(Json value);
Json Select(int index, Json list);
Json GetAZs();
// A Tags list: [{"Key": k, "Value": v}, ...] in the given order.
Json If(std::string_view condition, Json if_true, Json if_false);
Json Equals(Json a, Json b);
Json Or(Json conditions);
Json FindInMap(std::string_view map, Json key, std::string_view attribute);
Json Tags(const std::vector<std::pair<std::string, std::string>>& tags);
// "arn:${AWS::Partition}:SERVICE:${AWS::Region}:${AWS::AccountId}:RESOURCE" as Fn::Sub.
Json Arn(std::string_view service, std::string_view resource);
}  // namespace cfn

struct Resource {
  explicit Resource(std::string type_name) : type(std::move(type_name)) {}

  std::string type;
  Json properties = Json::object();
  std::vector<std::string> depends_on;
  Json creation_policy;  // null when absent
  Json update_policy;
  std::string deletion_policy;  // empty when absent
  std::string update_replace_policy;
  Json metadata;
};

class Template {
 public:
  explicit Template(std::string description);

  void AddParameter(const std::string& id, Json parameter);
  void AddMapping(const std::string& id, Json mapping);
  void AddCondition(const std::string& id, Json condition);
  // Adds a resource; a logical id used twice is a programming error and throws.
  Resource& AddResource(const std::string& id, Resource resource);
  void AddOutput(const std::string& id, Json output);

  bool HasResource(const std::string& id) const;
  const Resource& GetResource(const std::string& id) const;
  size_t ResourceCount() const { return resources_.size(); }
  const std::vector<std::pair<std::string, Resource>>& resources() const { return resources_; }

  Json ToJson() const;

 private:
  std::string description_;
  Json parameters_ = Json::object();
  Json mappings_ = Json::object();
  Json conditions_ = Json::object();
  std::vector<std::pair<std::string, Resource>> resources_;
  Json outputs_ = Json::object();
};

}  // namespace sr::templates

#endif  // STACKS_RUNNER_TEMPLATES_CFN_H_
