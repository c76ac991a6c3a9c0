// A private S3 bucket: encrypted, public access blocked, objects owned by the bucket owner, and
// a policy that refuses anything but TLS.
#ifndef STACKS_RUNNER_TEMPLATES_S3_H_
#define STACKS_RUNNER_TEMPLATES_S3_H_

#include <string>
#include <vector>

#include "templates/cfn.h"

namespace sr::templates {

struct PrivateBucketOptions {
  Json tags;
  bool retain = false;                        // DeletionPolicy and UpdateReplacePolicy Retain
  int expire_after_days = 0;                  // lifecycle expiry of objects; 0 keeps them
  std::vector<Json> extra_policy_statements;  // appended after the TLS-only deny
  Json metadata;                              // the bucket's (nag suppressions); null: none
};

// Adds the bucket and its policy; returns nothing, the ids are the caller's.
void AddPrivateBucket(Template& t, const std::string& bucket_id, const std::string& policy_id,
                      const PrivateBucketOptions& options);

}  // namespace sr::templates

#endif  // STACKS_RUNNER_TEMPLATES_S3_H_
