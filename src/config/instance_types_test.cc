#include "config/instance_types.h"

#include <gtest/gtest.h>

namespace sr::config {
namespace {

CpuArch ArchOf(const char* name) { return ParseInstanceType(name).value().arch; }

TEST(InstanceTypes, Architecture) {
  for (auto t : {"m5.large", "c7i.xlarge", "m7i-flex.large", "r7iz.2xlarge", "g4dn.xlarge",
                 "inf2.xlarge", "m6a.large", "u-6tb1.metal", "t3.medium"}) {
    EXPECT_EQ(ArchOf(t), CpuArch::kX86_64) << t;
  }
  for (auto t : {"m7g.large", "c7gn.xlarge", "r8gd.2xlarge", "t4g.large", "a1.large",
                 "im4gn.xlarge", "is4gen.large", "x2gd.xlarge", "g5g.xlarge", "c6gd.large"}) {
    EXPECT_EQ(ArchOf(t), CpuArch::kArm64) << t;
  }
}

TEST(InstanceTypes, InstanceStore) {
  for (auto t :
       {"i4i.xlarge", "m6id.large", "c7gd.large", "im4gn.large", "d3.xlarge", "m5dn.large"}) {
    EXPECT_TRUE(ParseInstanceType(t)->has_instance_store) << t;
  }
  for (auto t : {"m5.large", "c7g.large", "r7iz.large", "m7i-flex.large"}) {
    EXPECT_FALSE(ParseInstanceType(t)->has_instance_store) << t;
  }
}

TEST(InstanceTypes, Avx2) {
  EXPECT_FALSE(ParseInstanceType("m3.xlarge")->has_avx2);
  EXPECT_FALSE(ParseInstanceType("c3.large")->has_avx2);
  EXPECT_TRUE(ParseInstanceType("c4.4xlarge")->has_avx2);
  EXPECT_TRUE(ParseInstanceType("m5.large")->has_avx2);
}

TEST(InstanceTypes, SizeEstimates) {
  EXPECT_EQ(ParseInstanceType("m5.large")->vcpus, 2);
  EXPECT_EQ(ParseInstanceType("m5.4xlarge")->vcpus, 16);
  EXPECT_EQ(ParseInstanceType("m5.large")->memory_gib, 8);
  EXPECT_EQ(ParseInstanceType("c5.large")->memory_gib, 4);
  EXPECT_EQ(ParseInstanceType("t3.medium")->memory_gib, 4);
  EXPECT_EQ(ParseInstanceType("r6g.xlarge")->memory_gib, 32);
  EXPECT_FALSE(ParseInstanceType("m5.metal")->vcpus.has_value());
  EXPECT_FALSE(ParseInstanceType("p4d.24xlarge")->memory_gib.has_value());
}

TEST(InstanceTypes, RejectsWhatIsNotAnInstanceType) {
  for (auto t : {"", "m5", ".large", "m5.", "M5.large", "mac2.metal", "5m.large", "m5.lar ge"}) {
    EXPECT_FALSE(ParseInstanceType(t).has_value()) << t;
  }
}

}  // namespace
}  // namespace sr::config
