// The parsers of what the agent reads: well-formed answers only; garbage, truncated JSON, wrong
// types and absurd heights are errors, and /v3/health without neighbour data is "unknown".
#include "agent/observation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sr::agent {
namespace {

using ::testing::HasSubstr;

constexpr char kInfo[] = R"({"peer_version":402653196,"burn_block_height":905123,
  "server_version":"stacks-node 4.0.2","network_id":1,"stacks_tip_height":5123456,
  "is_fully_synced":true})";

TEST(ParseNodeInfo, ReadsHeightsNetworkAndVersion) {
  NodeInfo info;
  std::string error;
  ASSERT_TRUE(ParseNodeInfo(kInfo, &info, &error)) << error;
  EXPECT_EQ(info.stacks_tip_height, 5123456);
  EXPECT_EQ(info.burn_block_height, 905123);
  EXPECT_EQ(info.network_id, 1);
  EXPECT_EQ(info.server_version, "stacks-node 4.0.2");
}

TEST(ParseNodeInfo, TestnetNetworkIdIsAnUnsigned32BitValue) {
  NodeInfo info;
  std::string error;
  ASSERT_TRUE(ParseNodeInfo(R"({"stacks_tip_height":1,"burn_block_height":2,
                                "network_id":2147483648})",
                            &info, &error));
  EXPECT_EQ(info.network_id, 2147483648);
}

TEST(ParseNodeInfo, RefusesGarbageTruncatedAndWrongShapes) {
  NodeInfo info;
  std::string error;
  EXPECT_FALSE(ParseNodeInfo("", &info, &error));
  EXPECT_EQ(error, "empty answer");
  EXPECT_FALSE(ParseNodeInfo("<html>502 Bad Gateway</html>", &info, &error));
  EXPECT_THAT(error, HasSubstr("not JSON"));
  EXPECT_FALSE(ParseNodeInfo(R"({"stacks_tip_height": 12, "burn_block_hei)", &info, &error));
  EXPECT_THAT(error, HasSubstr("truncated"));
  EXPECT_FALSE(ParseNodeInfo("[1,2,3]", &info, &error));
  EXPECT_FALSE(ParseNodeInfo(R"({"burn_block_height":2})", &info, &error));
  EXPECT_EQ(error, "no stacks_tip_height");
  for (const char* bad : {R"({"stacks_tip_height":"12","burn_block_height":2})",
                          R"({"stacks_tip_height":-1,"burn_block_height":2})",
                          R"({"stacks_tip_height":1.5,"burn_block_height":2})",
                          R"({"stacks_tip_height":1e300,"burn_block_height":2})",
                          R"({"stacks_tip_height":99999999999999999999,"burn_block_height":2})",
                          R"({"stacks_tip_height":null,"burn_block_height":2})"}) {
    EXPECT_FALSE(ParseNodeInfo(bad, &info, &error)) << bad;
  }
}

TEST(ParsePeerHeights, NoNeighbourDataIsUnknownNotInStep) {
  // What stacks-node answers with no neighbour data: max 0, difference 0, a null address.
  PeerHeights heights;
  std::string error;
  ASSERT_TRUE(ParsePeerHeights(R"({"difference_from_max_peer":0,
      "max_stacks_height_of_neighbors":0,"max_stacks_neighbor_address":null,
      "node_stacks_tip_height":5000})",
                               &heights, &error));
  EXPECT_FALSE(heights.max_neighbor_height.has_value());
}

TEST(ParsePeerHeights, NeighbourHeightWithItsAddress) {
  PeerHeights heights;
  std::string error;
  ASSERT_TRUE(ParsePeerHeights(R"({"difference_from_max_peer":3,
      "max_stacks_height_of_neighbors":5003,"max_stacks_neighbor_address":"1.2.3.4:20444",
      "node_stacks_tip_height":5000})",
                               &heights, &error));
  EXPECT_EQ(heights.max_neighbor_height, 5003);
  EXPECT_EQ(heights.max_neighbor_address, "1.2.3.4:20444");
  EXPECT_FALSE(ParsePeerHeights("{\"max_stacks_height_of", &heights, &error));
}

TEST(ParseNeighborCount, CountsInboundAndOutbound) {
  int64_t n = 0;
  std::string error;
  ASSERT_TRUE(ParseNeighborCount(R"({"bootstrap":[{}],"sample":[{},{}],"inbound":[{},{}],
                                     "outbound":[{},{},{}]})",
                                 &n, &error));
  EXPECT_EQ(n, 5);
  EXPECT_FALSE(ParseNeighborCount(R"({"inbound":[]})", &n, &error));
}

TEST(ParseBlockCount, ResultOrTheRpcError) {
  int64_t n = 0;
  std::string error;
  ASSERT_TRUE(ParseBlockCount(R"({"result":905124,"error":null,"id":"x"})", &n, &error));
  EXPECT_EQ(n, 905124);
  EXPECT_FALSE(ParseBlockCount(
      R"({"result":null,"error":{"code":-28,"message":"Loading block index..."},"id":"x"})", &n,
      &error));
  EXPECT_EQ(error, "bitcoind error: Loading block index...");
  EXPECT_FALSE(ParseBlockCount("Unauthorized", &n, &error));
}

TEST(ParseSignerMetrics, PicksTheGaugesItPassesOn) {
  SignerView view;
  ParseSignerMetrics(
      "# HELP stacks_signer_current_reward_cycle The current reward cycle\n"
      "# TYPE stacks_signer_current_reward_cycle gauge\n"
      "stacks_signer_current_reward_cycle 112\n"
      "stacks_signer_stacks_node_height 5123456 1700000000000\n"
      "stacks_signer_block_responses_sent{response_type=\"accepted\"} 4321\n"
      "stacks_signer_block_responses_sent{response_type=\"rejected\"} 7\n"
      "stacks_signer_block_proposals_received 99\n"
      "garbage line without value\n"
      "stacks_signer_nonce NaN\n",
      &view);
  EXPECT_EQ(view.reward_cycle, 112);
  EXPECT_EQ(view.node_height, 5123456);
  EXPECT_EQ(view.blocks_accepted, 4321);
  EXPECT_EQ(view.blocks_rejected, 7);
}

TEST(ParseRestoreProgress, ReadsThePhaseAndPercentOfTheProgressFile) {
  RestoreProgress p;
  std::string error;
  ASSERT_TRUE(ParseRestoreProgress(
      R"({"phase":"downloading","url":"https://x","bytes_total":10,"bytes_done":4,)"
      R"("percent":40.0,"eta_seconds":null})",
      &p, &error))
      << error;
  EXPECT_EQ(p.phase, "downloading");
  EXPECT_EQ(p.percent, 40.0);
  EXPECT_FALSE(ParseRestoreProgress(R"({"phase":"downloading"})", &p, &error));
  EXPECT_FALSE(ParseRestoreProgress(R"({"phase":"done","percent":140})", &p, &error));
  EXPECT_FALSE(ParseRestoreProgress(R"({"percent":1})", &p, &error));
  EXPECT_FALSE(ParseRestoreProgress("{\"phase\":\"down", &p, &error));
}

}  // namespace
}  // namespace sr::agent
