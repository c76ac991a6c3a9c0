#include "aws/service.h"

namespace sr::aws {

const ServiceInfo& CloudFormation() {
  static const ServiceInfo s{"CloudFormation",
                             "CLOUDFORMATION",
                             "cloudformation",
                             "cloudformation",
                             Protocol::kQuery,
                             "2010-05-15",
                             "",
                             ""};
  return s;
}
const ServiceInfo& Ec2() {
  static const ServiceInfo s{"EC2", "EC2", "ec2", "ec2", Protocol::kEc2, "2016-11-15", "", ""};
  return s;
}
const ServiceInfo& S3() {
  static const ServiceInfo s{"S3", "S3", "s3", "s3", Protocol::kRestXml, "2006-03-01", "", ""};
  return s;
}
const ServiceInfo& Sts() {
  static const ServiceInfo s{"STS", "STS", "sts", "sts", Protocol::kQuery, "2011-06-15", "", ""};
  return s;
}
const ServiceInfo& Ssm() {
  static const ServiceInfo s{"SSM",           "SSM",        "ssm",       "ssm",
                             Protocol::kJson, "2014-11-06", "AmazonSSM", "1.1"};
  return s;
}
const ServiceInfo& AutoScaling() {
  static const ServiceInfo s{"Auto Scaling",
                             "AUTO_SCALING",
                             "autoscaling",
                             "autoscaling",
                             Protocol::kQuery,
                             "2011-01-01",
                             "",
                             ""};
  return s;
}
const ServiceInfo& CloudWatch() {
  static const ServiceInfo s{"CloudWatch",     "CLOUDWATCH", "monitoring", "monitoring",
                             Protocol::kQuery, "2010-08-01", "",           ""};
  return s;
}
const ServiceInfo& SecretsManager() {
  static const ServiceInfo s{
      "Secrets Manager", "SECRETS_MANAGER", "secretsmanager", "secretsmanager",
      Protocol::kJson,   "2017-10-17",      "secretsmanager", "1.1"};
  return s;
}
const ServiceInfo& CloudWatchLogs() {
  static const ServiceInfo s{"CloudWatch Logs", "CLOUDWATCH_LOGS", "logs",          "logs",
                             Protocol::kJson,   "2014-03-28",      "Logs_20140328", "1.1"};
  return s;
}

}  // namespace sr::aws
