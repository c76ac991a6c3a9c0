#include "templates/tags.h"

#include "templates/names.h"

namespace sr::templates {
namespace {

std::vector<std::pair<std::string, std::string>> TagList(const config::Config& config,
                                                         std::string_view name) {
  std::vector<std::pair<std::string, std::string>> tags;
  if (!name.empty()) tags.emplace_back("Name", std::string(name));
  tags.emplace_back(std::string(kProjectTagKey), std::string(kProjectTagValue));
  tags.emplace_back("StacksNetwork", std::string(config.network->name));
  tags.emplace_back("StacksRole", std::string(config::RoleName(config.role)));
  return tags;
}

}  // namespace

Json StandardTags(const config::Config& config, std::string_view name) {
  return cfn::Tags(TagList(config, name));
}

Json AutoScalingTags(const config::Config& config, std::string_view name) {
  Json tags = Json::array();
  for (const auto& [key, value] : TagList(config, name)) {
    tags.push_back(Json{{"Key", key}, {"Value", value}, {"PropagateAtLaunch", true}});
  }
  return tags;
}

}  // namespace sr::templates
