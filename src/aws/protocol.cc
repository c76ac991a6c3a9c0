#include "aws/protocol.h"

namespace sr::aws {

HttpRequest QueryRequest(const ServiceInfo& service, std::string_view action,
                         const NameValueList& params) {
  NameValueList form{{"Action", std::string(action)},
                     {"Version", std::string(service.api_version)}};
  form.insert(form.end(), params.begin(), params.end());
  HttpRequest r;
  r.method = "POST";
  r.path = "/";
  r.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  r.body = EncodeQuery(form);
  return r;
}

HttpRequest JsonRequest(const ServiceInfo& service, std::string_view operation,
                        const nlohmann::json& body) {
  HttpRequest r;
  r.method = "POST";
  r.path = "/";
  r.headers = {{"Content-Type", "application/x-amz-json-" + std::string(service.json_version)},
               {"X-Amz-Target", std::string(service.target_prefix) + "." + std::string(operation)}};
  r.body = body.dump();
  return r;
}

pugi::xml_node Find(pugi::xml_node node, std::string_view path) {
  size_t start = 0;
  while (node && start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    const std::string name(path.substr(start, slash - start));
    if (!name.empty()) node = node.child(name.c_str());
    start = slash + 1;
  }
  return node;
}

std::string Text(pugi::xml_node node, std::string_view path) {
  return Find(node, path).child_value();
}

std::vector<pugi::xml_node> ListItems(pugi::xml_node node, std::string_view path) {
  std::vector<pugi::xml_node> items;
  for (pugi::xml_node child : Find(node, path).children()) {
    const std::string_view name = child.name();
    if (name == "member" || name == "item") items.push_back(child);
  }
  return items;
}

AwsResult<XmlResponse> ParseXml(const ServiceInfo& service, std::string_view operation,
                                const std::string& body) {
  XmlResponse r{std::make_shared<pugi::xml_document>()};
  const pugi::xml_parse_result parsed = r.document->load_buffer(body.data(), body.size());
  if (!parsed || !r.root()) {
    AwsError e =
        MakeError(AwsError::Kind::kResponse, "InvalidResponse",
                  std::string("not XML: ") + parsed.description() + ": " + body.substr(0, 200));
    e.service = std::string(service.name);
    e.operation = std::string(operation);
    return e;
  }
  return r;
}

namespace {

// "com.amazonaws.ssm#ParameterNotFound" or "ParameterNotFound:http://..." -> "ParameterNotFound"
std::string JsonErrorCode(std::string type) {
  if (const size_t hash = type.find('#'); hash != std::string::npos) type = type.substr(hash + 1);
  if (const size_t colon = type.find(':'); colon != std::string::npos) type.resize(colon);
  return type;
}

std::string StatusCode(int status) {
  switch (status) {
    case 400:
      return "BadRequest";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 500:
      return "InternalError";
    case 503:
      return "ServiceUnavailable";
    default:
      return "HTTP" + std::to_string(status);
  }
}

}  // namespace

AwsError ParseError(const ServiceInfo& service, std::string_view operation, int status,
                    const std::string& body,
                    const std::function<const std::string*(std::string_view)>& header) {
  AwsError e;
  e.kind = AwsError::Kind::kService;
  e.http_status = status;
  e.service = std::string(service.name);
  e.operation = std::string(operation);
  for (const char* name : {"x-amzn-RequestId", "x-amz-request-id"}) {
    if (const std::string* v = header(name)) {
      e.request_id = *v;
      break;
    }
  }
  if (service.protocol == Protocol::kJson) {
    const auto parsed = nlohmann::json::parse(body, nullptr, false);
    if (parsed.is_object()) {
      if (parsed.contains("__type")) e.code = JsonErrorCode(parsed["__type"].get<std::string>());
      for (const char* key : {"message", "Message"}) {
        if (parsed.contains(key) && parsed[key].is_string()) e.message = parsed[key];
      }
    }
    if (e.code.empty()) {
      if (const std::string* v = header("x-amzn-ErrorType")) e.code = JsonErrorCode(*v);
    }
  } else {
    pugi::xml_document doc;
    if (!body.empty() && doc.load_buffer(body.data(), body.size())) {
      pugi::xml_node error = doc.document_element();
      if (std::string_view(error.name()) == "ErrorResponse") error = error.child("Error");
      if (std::string_view(error.name()) == "Response") error = Find(error, "Errors/Error");
      e.code = Text(error, "Code");
      e.message = Text(error, "Message");
      if (e.request_id.empty()) {
        for (const char* path : {"RequestId", "RequestID"}) {
          e.request_id = Text(doc.document_element(), path);
          if (e.request_id.empty()) e.request_id = Text(error, path);
          if (!e.request_id.empty()) break;
        }
      }
    }
  }
  if (e.code.empty()) {
    e.code = StatusCode(status);
    if (e.message.empty() && !body.empty()) e.message = body.substr(0, 200);
  }
  return e;
}

}  // namespace sr::aws
