#include "aws/ssm.h"

namespace sr::aws {

AwsResult<std::string> GetParameter(AwsClient& ssm, const std::string& name) {
  auto r = ssm.CallJson("GetParameter", {{"Name", name}});
  if (!r) return r.error();
  const auto& value = (*r)["Parameter"]["Value"];
  if (!value.is_string()) {
    AwsError e = MakeError(AwsError::Kind::kResponse, "InvalidResponse",
                           "GetParameter answered without a value for " + name);
    e.service = "SSM";
    e.operation = "GetParameter";
    return e;
  }
  return value.get<std::string>();
}

}  // namespace sr::aws
