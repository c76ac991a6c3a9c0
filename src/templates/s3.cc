#include "templates/s3.h"

#include "templates/iam.h"

namespace sr::templates {

void AddPrivateBucket(Template& t, const std::string& bucket_id, const std::string& policy_id,
                      const PrivateBucketOptions& options) {
  Resource bucket{"AWS::S3::Bucket"};
  bucket.properties["BucketEncryption"] = Json{
      {"ServerSideEncryptionConfiguration",
       Json::array({Json{{"ServerSideEncryptionByDefault", Json{{"SSEAlgorithm", "AES256"}}}}})}};
  bucket.properties["PublicAccessBlockConfiguration"] = Json{{"BlockPublicAcls", true},
                                                             {"BlockPublicPolicy", true},
                                                             {"IgnorePublicAcls", true},
                                                             {"RestrictPublicBuckets", true}};
  bucket.properties["OwnershipControls"] =
      Json{{"Rules", Json::array({Json{{"ObjectOwnership", "BucketOwnerEnforced"}}})}};
  Json rules =
      Json::array({Json{{"Id", "AbortIncompleteUploads"},
                        {"Status", "Enabled"},
                        {"AbortIncompleteMultipartUpload", Json{{"DaysAfterInitiation", 1}}}}});
  if (options.expire_after_days > 0) {
    rules.push_back(Json{
        {"Id", "Expire"}, {"Status", "Enabled"}, {"ExpirationInDays", options.expire_after_days}});
  }
  bucket.properties["LifecycleConfiguration"] = Json{{"Rules", std::move(rules)}};
  if (!options.tags.is_null()) bucket.properties["Tags"] = options.tags;
  if (!options.metadata.is_null()) bucket.metadata = options.metadata;
  if (options.retain) {
    bucket.deletion_policy = "Retain";
    bucket.update_replace_policy = "Retain";
  }
  t.AddResource(bucket_id, std::move(bucket));

  const Json bucket_arn = cfn::GetAtt(bucket_id, "Arn");
  const Json objects_arn = cfn::Sub("${" + bucket_id + ".Arn}/*");
  Json deny_plain =
      Statement("Deny", {"s3:*"}, Json::array({bucket_arn, objects_arn}), Json{{"AWS", "*"}});
  deny_plain["Sid"] = "DenyInsecureTransport";
  deny_plain["Condition"] = Json{{"Bool", Json{{"aws:SecureTransport", "false"}}}};
  std::vector<Json> statements{deny_plain};
  for (const auto& s : options.extra_policy_statements) statements.push_back(s);

  Resource policy{"AWS::S3::BucketPolicy"};
  policy.properties["Bucket"] = cfn::Ref(bucket_id);
  policy.properties["PolicyDocument"] = PolicyDocument(std::move(statements));
  t.AddResource(policy_id, std::move(policy));
}

}  // namespace sr::templates
