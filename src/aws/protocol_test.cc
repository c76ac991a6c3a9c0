#include "aws/protocol.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sr::aws {
namespace {

std::function<const std::string*(std::string_view)> Headers(
    std::map<std::string, std::string> headers) {
  auto shared = std::make_shared<std::map<std::string, std::string>>(std::move(headers));
  return [shared](std::string_view name) -> const std::string* {
    for (const auto& [k, v] : *shared) {
      if (EqualsIgnoreCase(k, name)) return &v;
    }
    return nullptr;
  };
}

TEST(Protocol, QueryRequest) {
  const HttpRequest r =
      QueryRequest(CloudFormation(), "DescribeStacks", {{"StackName", "stacks-nodes-common"}});
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.body, "Action=DescribeStacks&Version=2010-05-15&StackName=stacks-nodes-common");
  EXPECT_EQ(*FindHeader(r, "content-type"), "application/x-www-form-urlencoded; charset=utf-8");
}

TEST(Protocol, JsonRequest) {
  const HttpRequest r = JsonRequest(Ssm(), "GetParameter", {{"Name", "/aws/service/x"}});
  EXPECT_EQ(*FindHeader(r, "X-Amz-Target"), "AmazonSSM.GetParameter");
  EXPECT_EQ(*FindHeader(r, "Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(r.body, R"({"Name":"/aws/service/x"})");
}

TEST(Protocol, QueryError) {
  const AwsError e = ParseError(
      CloudFormation(), "DescribeStacks", 400,
      "<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><Error>"
      "<Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id x does not exist"
      "</Message></Error><RequestId>abc-123</RequestId></ErrorResponse>",
      Headers({}));
  EXPECT_EQ(e.code, "ValidationError");
  EXPECT_EQ(e.message, "Stack with id x does not exist");
  EXPECT_EQ(e.request_id, "abc-123");
  EXPECT_EQ(e.Describe(),
            "CloudFormation DescribeStacks: ValidationError: Stack with id x does not exist "
            "(HTTP 400, request id abc-123)");
  EXPECT_FALSE(e.IsRetryable());
}

TEST(Protocol, Ec2Error) {
  const AwsError e = ParseError(
      Ec2(), "DescribeVpcs", 503,
      "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded."
      "</Message></Error></Errors><RequestID>r-1</RequestID></Response>",
      Headers({}));
  EXPECT_EQ(e.code, "RequestLimitExceeded");
  EXPECT_EQ(e.request_id, "r-1");
  EXPECT_TRUE(e.IsThrottling());
  EXPECT_TRUE(e.IsRetryable());
}

TEST(Protocol, JsonError) {
  const AwsError e =
      ParseError(Ssm(), "GetParameter", 400,
                 R"({"__type":"com.amazonaws.ssm#ParameterNotFound","message":"not here"})",
                 Headers({{"x-amzn-RequestId", "req-9"}}));
  EXPECT_EQ(e.code, "ParameterNotFound");
  EXPECT_EQ(e.message, "not here");
  EXPECT_EQ(e.request_id, "req-9");
  const AwsError header_only = ParseError(
      SecretsManager(), "GetSecretValue", 400, "{}",
      Headers({{"x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/"}}));
  EXPECT_EQ(header_only.code, "ThrottlingException");
  EXPECT_TRUE(header_only.IsThrottling());
}

TEST(Protocol, S3ErrorsAndBodilessErrors) {
  const AwsError e = ParseError(
      S3(), "PutObject", 403,
      "<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>R</RequestId>"
      "</Error>",
      Headers({}));
  EXPECT_EQ(e.code, "AccessDenied");
  EXPECT_TRUE(e.IsAccessDenied());
  const AwsError head = ParseError(S3(), "HeadObject", 404, "", Headers({}));
  EXPECT_EQ(head.code, "NotFound");
  const AwsError proxy =
      ParseError(CloudFormation(), "X", 502, "<html>Bad gateway</html>", Headers({}));
  EXPECT_TRUE(proxy.IsRetryable());
}

TEST(Protocol, XmlReading) {
  auto r = ParseXml(CloudFormation(), "DescribeStacks",
                    "<DescribeStacksResponse><DescribeStacksResult><Stacks><member>"
                    "<StackName>a</StackName></member><member><StackName>b</StackName></member>"
                    "</Stacks></DescribeStacksResult></DescribeStacksResponse>");
  ASSERT_TRUE(r.ok());
  const auto stacks = ListItems(r->root(), "DescribeStacksResult/Stacks");
  ASSERT_EQ(stacks.size(), 2u);
  EXPECT_EQ(Text(stacks[1], "StackName"), "b");
  EXPECT_EQ(Text(r->root(), "DescribeStacksResult/Missing/Path"), "");
  EXPECT_FALSE(ParseXml(CloudFormation(), "X", "not xml <").ok());
}

}  // namespace
}  // namespace sr::aws
