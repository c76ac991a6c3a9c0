// The S3 calls deploy makes: is an object there, and put one. Virtual-hosted bucket addressing
// on AWS's own endpoints, path style on custom ones (AWS_ENDPOINT_URL...), as the SDKs do.
#ifndef STACKS_RUNNER_AWS_S3_H_
#define STACKS_RUNNER_AWS_S3_H_

#include <string>

#include "aws/client.h"

namespace sr::aws {

class S3Api {
 public:
  // `path_style` for custom endpoints.
  S3Api(AwsClient client, bool path_style) : client_(std::move(client)), path_style_(path_style) {}

  AwsResult<bool> ObjectExists(const std::string& bucket, const std::string& key);
  AwsResult<Unit> PutObject(const std::string& bucket, const std::string& key,
                            const std::string& body, const std::string& content_type);
  AwsResult<std::string> GetObject(const std::string& bucket, const std::string& key);
  // The object's URL, as CloudFormation's TemplateURL wants it.
  std::string ObjectUrl(const std::string& bucket, const std::string& key) const;

 private:
  HttpRequest Request(const std::string& method, const std::string& bucket,
                      const std::string& key) const;
  http::Url BucketUrl(const std::string& bucket) const;
  AwsClient client_;
  bool path_style_;
};

}  // namespace sr::aws

#endif  // STACKS_RUNNER_AWS_S3_H_
