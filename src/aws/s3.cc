#include "aws/s3.h"

namespace sr::aws {

http::Url S3Api::BucketUrl(const std::string& bucket) const {
  http::Url url = client_.endpoint();
  if (!path_style_) url.host = bucket + "." + url.host;
  return url;
}

HttpRequest S3Api::Request(const std::string& method, const std::string& bucket,
                           const std::string& key) const {
  HttpRequest r;
  r.method = method;
  const std::string encoded_key = UriEncode(key, /*keep_slash=*/true);
  if (path_style_) {
    r.path = "/" + bucket + "/" + encoded_key;
  } else {
    r.path = "/" + encoded_key;
    r.host = BucketUrl(bucket).Authority();
  }
  return r;
}

AwsResult<bool> S3Api::ObjectExists(const std::string& bucket, const std::string& key) {
  const http::Url url = BucketUrl(bucket);
  auto r = client_.CallRest("HeadObject", Request("HEAD", bucket, key), RestOptions{}, &url);
  if (r) return true;
  if (r.error().http_status == 404 && r.error().code != "NoSuchBucket") return false;
  return r.error();
}

AwsResult<Unit> S3Api::PutObject(const std::string& bucket, const std::string& key,
                                 const std::string& body, const std::string& content_type) {
  HttpRequest request = Request("PUT", bucket, key);
  request.headers.emplace_back("Content-Type", content_type);
  request.body = body;
  const http::Url url = BucketUrl(bucket);
  RestOptions options;
  options.transfer.timeout = std::chrono::minutes(10);
  auto r = client_.CallRest("PutObject", std::move(request), options, &url);
  if (!r) return r.error();
  return Unit{};
}

AwsResult<std::string> S3Api::GetObject(const std::string& bucket, const std::string& key) {
  const http::Url url = BucketUrl(bucket);
  auto r = client_.CallRest("GetObject", Request("GET", bucket, key), RestOptions{}, &url);
  if (!r) return r.error();
  return std::move(r->body);
}

std::string S3Api::ObjectUrl(const std::string& bucket, const std::string& key) const {
  const http::Url url = BucketUrl(bucket);
  const std::string encoded_key = UriEncode(key, true);
  return url.scheme + "://" + url.Authority() + client_.endpoint().base_path +
         (path_style_ ? "/" + bucket : "") + "/" + encoded_key;
}

}  // namespace sr::aws
