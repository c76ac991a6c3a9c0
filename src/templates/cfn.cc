#include "templates/cfn.h"

#include <stdexcept>

namespace sr::templates {
namespace cfn {

Json Ref(std::string_view name) { return Json{{"Ref", name}}; }

Json GetAtt(std::string_view resource, std::string_view attribute) {
  return Json{{"Fn::GetAtt", Json::array({resource, attribute})}};
}

Json Sub(std::string_view text) { return Json{{"Fn::Sub", text}}; }

Json Sub(std::string_view text, Json variables) {
  return Json{{"Fn::Sub", Json::array({text, std::move(variables)})}};
}

Json Join(std::string_view separator, Json parts) {
  return Json{{"Fn::Join", Json::array({separator, std::move(parts)})}};
}

Json ImportValue(std::string_view export_name) { return Json{{"Fn::ImportValue", export_name}}; }

Json Base64(Json value) { return Json{{"Fn::Base64", std::move(value)}}; }

Json Select(int index, Json list) {
  return Json{{"Fn::Select", Json::array({index, std::move(list)})}};
}

Json GetAZs() { return Json{{"Fn::GetAZs", ""}}; }

Json If(std::string_view condition, Json if_true, Json if_false) {
  return Json{{"Fn::If", Json::array({condition, std::move(if_true), std::move(if_false)})}};
}

Json Equals(Json a, Json b) {
  return Json{{"Fn::Equals", Json::array({std::move(a), std::move(b)})}};
}

Json Or(Json conditions) { return Json{{"Fn::Or", std::move(conditions)}}; }

Json FindInMap(std::string_view map, Json key, std::string_view attribute) {
  return Json{{"Fn::FindInMap", Json::array({map, std::move(key), attribute})}};
}

Json Tags(const std::vector<std::pair<std::string, std::string>>& tags) {
  Json list = Json::array();
  for (const auto& [key, value] : tags) list.push_back(Json{{"Key", key}, {"Value", value}});
  return list;
}

Json Arn(std::string_view service, std::string_view resource) {
  std::string text = "arn:${AWS::Partition}:";
  text += service;
  text += ":${AWS::Region}:${AWS::AccountId}:";
  text += resource;
  return Sub(text);
}

}  // namespace cfn

Template::Template(std::string description) : description_(std::move(description)) {}

void Template::AddParameter(const std::string& id, Json parameter) {
  parameters_[id] = std::move(parameter);
}

void Template::AddMapping(const std::string& id, Json mapping) {
  mappings_[id] = std::move(mapping);
}

void Template::AddCondition(const std::string& id, Json condition) {
  conditions_[id] = std::move(condition);
}

Resource& Template::AddResource(const std::string& id, Resource resource) {
  if (HasResource(id)) throw std::logic_error("duplicate logical id " + id);
  resources_.emplace_back(id, std::move(resource));
  return resources_.back().second;
}

void Template::AddOutput(const std::string& id, Json output) { outputs_[id] = std::move(output); }

bool Template::HasResource(const std::string& id) const {
  for (const auto& [rid, r] : resources_) {
    if (rid == id) return true;
  }
  return false;
}

const Resource& Template::GetResource(const std::string& id) const {
  for (const auto& [rid, r] : resources_) {
    if (rid == id) return r;
  }
  throw std::out_of_range("no resource " + id);
}

Json Template::ToJson() const {
  Json out = Json::object();
  out["AWSTemplateFormatVersion"] = "2010-09-09";
  out["Description"] = description_;
  if (!parameters_.empty()) out["Parameters"] = parameters_;
  if (!mappings_.empty()) out["Mappings"] = mappings_;
  if (!conditions_.empty()) out["Conditions"] = conditions_;
  Json resources = Json::object();
  for (const auto& [id, r] : resources_) {
    Json res = Json::object();
    res["Type"] = r.type;
    if (!r.depends_on.empty()) res["DependsOn"] = r.depends_on;
    if (!r.properties.empty()) res["Properties"] = r.properties;
    if (!r.creation_policy.is_null()) res["CreationPolicy"] = r.creation_policy;
    if (!r.update_policy.is_null()) res["UpdatePolicy"] = r.update_policy;
    if (!r.deletion_policy.empty()) res["DeletionPolicy"] = r.deletion_policy;
    if (!r.update_replace_policy.empty()) res["UpdateReplacePolicy"] = r.update_replace_policy;
    if (!r.metadata.is_null()) res["Metadata"] = r.metadata;
    resources[id] = std::move(res);
  }
  out["Resources"] = std::move(resources);
  if (!outputs_.empty()) out["Outputs"] = outputs_;
  return out;
}

}  // namespace sr::templates
