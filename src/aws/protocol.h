// The wire formats of the AWS protocols we speak: building query, ec2 and json requests, and
// reading the errors every protocol returns. Pure functions; no I/O.
#ifndef STACKS_RUNNER_AWS_PROTOCOL_H_
#define STACKS_RUNNER_AWS_PROTOCOL_H_

#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "aws/error.h"
#include "aws/http_message.h"
#include "aws/service.h"

namespace sr::aws {

// POST / with Action, Version and the parameters as an x-www-form-urlencoded body.
HttpRequest QueryRequest(const ServiceInfo& service, std::string_view action,
                         const NameValueList& params);

// POST / with X-Amz-Target and the JSON body.
HttpRequest JsonRequest(const ServiceInfo& service, std::string_view operation,
                        const nlohmann::json& body);

// The error in an HTTP response of `status` (>= 300): code, message and request id as AWS sent
// them. `header` looks up a response header (case-insensitive) or returns nullptr.
AwsError ParseError(const ServiceInfo& service, std::string_view operation, int status,
                    const std::string& body,
                    const std::function<const std::string*(std::string_view)>& header);

// Reading XML responses. Paths are element names separated by '/'.
struct XmlResponse {
  std::shared_ptr<pugi::xml_document> document;
  pugi::xml_node root() const { return document->document_element(); }
};
AwsResult<XmlResponse> ParseXml(const ServiceInfo& service, std::string_view operation,
                                const std::string& body);
pugi::xml_node Find(pugi::xml_node node, std::string_view path);
std::string Text(pugi::xml_node node, std::string_view path);
// The <member> (query) or <item> (ec2) children of the element at `path`.
std::vector<pugi::xml_node> ListItems(pugi::xml_node node, std::string_view path);

}  // namespace sr::aws

#endif  // STACKS_RUNNER_AWS_PROTOCOL_H_
