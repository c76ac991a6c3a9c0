#include "checks/values.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sr::checks {
namespace {

using ::testing::ElementsAre;

const Json kTemplate = Json::parse(R"({
  "Parameters": {
    "Open": {"Type": "String", "Default": "0.0.0.0/0"},
    "Deployed": {"Type": "String"}
  },
  "Mappings": {"Accounts": {"us-east-1": {"Id": "111"}, "eu-west-1": {"Id": "222"}}},
  "Resources": {}
})");

TEST(Resolver, LiteralsAreThemselves) {
  Resolver r(kTemplate);
  EXPECT_THAT(r.Resolve("x").known, ElementsAre(Json("x")));
  EXPECT_THAT(r.Resolve(true).known, ElementsAre(Json(true)));
  EXPECT_EQ(r.KnownString("x"), "x");
}

TEST(Resolver, ParameterIsItsSuppliedValueElseItsDefaultElseUnknown) {
  EXPECT_EQ(Resolver(kTemplate).KnownString(Json{{"Ref", "Open"}}), "0.0.0.0/0");
  EXPECT_EQ(Resolver(kTemplate, {{"Open", "10.0.0.0/8"}}).KnownString(Json{{"Ref", "Open"}}),
            "10.0.0.0/8");
  const Possible deployed = Resolver(kTemplate).Resolve(Json{{"Ref", "Deployed"}});
  EXPECT_TRUE(deployed.unknown);
  EXPECT_TRUE(deployed.known.empty());
  EXPECT_TRUE(Resolver(kTemplate).Resolve(Json{{"Ref", "SomeResource"}}).unknown);
  EXPECT_TRUE(Resolver(kTemplate).Resolve(Json{{"Ref", "AWS::NoValue"}}).may_be_absent);
}

TEST(Resolver, IfMayTakeEitherBranch) {
  const Possible p = Resolver(kTemplate).Resolve(
      Json::parse(R"({"Fn::If": ["C", "required", {"Ref": "AWS::NoValue"}]})"));
  EXPECT_THAT(p.known, ElementsAre(Json("required")));
  EXPECT_TRUE(p.may_be_absent);
}

TEST(Resolver, JoinSubAndSelectOfKnownPartsAreComputed) {
  Resolver r(kTemplate);
  EXPECT_EQ(r.KnownString(Json::parse(R"({"Fn::Join": ["/", ["a", {"Ref": "Open"}]]})")),
            "a/0.0.0.0/0");
  EXPECT_EQ(r.KnownString(Json::parse(R"({"Fn::Sub": "cidr ${Open} ${!Literal}"})")),
            "cidr 0.0.0.0/0 ${Literal}");
  EXPECT_EQ(r.KnownString(Json::parse(R"({"Fn::Sub": ["${X}-${Open}", {"X": "x"}]})")),
            "x-0.0.0.0/0");
  EXPECT_EQ(r.KnownString(Json::parse(R"({"Fn::Select": ["1", ["a", "b"]]})")), "b");
  EXPECT_TRUE(r.Resolve(Json::parse(R"({"Fn::Sub": "${AWS::Region}"})")).unknown);
  EXPECT_TRUE(r.Resolve(Json::parse(R"({"Fn::GetAtt": ["R", "Arn"]})")).unknown);
  EXPECT_TRUE(r.Resolve(Json{{"Fn::ImportValue", "X"}}).unknown);
}

TEST(Resolver, FindInMapWithAKeyKnownAtDeployTimeMayBeAnyValue) {
  Resolver r(kTemplate);
  EXPECT_THAT(r.Resolve(Json::parse(R"({"Fn::FindInMap": ["Accounts", "eu-west-1", "Id"]})")).known,
              ElementsAre(Json("222")));
  EXPECT_THAT(
      r.Resolve(Json::parse(R"({"Fn::FindInMap": ["Accounts", {"Ref": "AWS::Region"}, "Id"]})"))
          .known,
      ElementsAre(Json("111"), Json("222")));
}

TEST(Flatten, ReadsLikeCdkNagsFindings) {
  EXPECT_EQ(Flatten("*"), "*");
  EXPECT_EQ(Flatten(Json::parse(R"({"Fn::Sub": "${Bucket.Arn}/*"})")), "<Bucket.Arn>/*");
  EXPECT_EQ(Flatten(Json::parse(R"({"Fn::GetAtt": ["Bucket", "Arn"]})")), "<Bucket.Arn>");
  EXPECT_EQ(Flatten(Json{{"Ref", "X"}}), "<X>");
  EXPECT_EQ(Flatten(Json::parse(R"({"Fn::Join": ["", [{"Ref": "X"}, "/*"]]})")), "<X>/*");
  EXPECT_EQ(Flatten(Json{{"Fn::ImportValue", "Name"}}), "Name");
  EXPECT_EQ(Flatten(Json::parse(R"({"Fn::Sub": ["a${B}", {"B": "b"}]})")),
            R"(["a${B}",{"B":"b"}])");
}

TEST(Booleans, AsCloudFormationReadsThem) {
  EXPECT_TRUE(IsTrue(true));
  EXPECT_TRUE(IsTrue("true"));
  EXPECT_FALSE(IsTrue("True"));
  EXPECT_FALSE(IsTrue(Json()));
  EXPECT_TRUE(IsFalse("false"));
  EXPECT_FALSE(IsFalse(Json()));
}

}  // namespace
}  // namespace sr::checks
