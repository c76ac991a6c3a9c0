#include "node/stacks_core_release.h"

namespace sr::node {
namespace {

std::set<std::string> Keys(std::initializer_list<const char*> keys) {
  std::set<std::string> out;
  for (const char* k : keys) out.insert(k);
  return out;
}

// stacks-core 4.0.2 (tag 4.0.2, commit 1b57c3fb). Sources:
// - the testnet's consensus settings: sample/conf/testnet-follower-conf.toml of that tag (the
//   testnet as reset in Aug 2026), copied value for value;
// - the accepted keys: the serde structs of stackslib/src/config/mod.rs (ConfigFile,
//   NodeConfigFile, BurnchainConfigFile, MinerConfigFile, ConnectionOptionsFile,
//   FeeEstimationConfigFile, AtlasConfigFile, EventObserverConfigFile, InitialBalanceFile) and
//   stacks-signer/src/config.rs (RawConfigFile), all deny_unknown_fields. Keys 4.0.2 accepts
//   but releases after it remove (node.name, node.max_microblocks,
//   node.chain_liveness_poll_time_secs, node.marf_cache_strategy,
//   burnchain.commit_anchor_block_within, signer validate_with_replay_tx and
//   reset_replay_set_after_fork_blocks) are left out so that nothing we render breaks on upgrade.
StacksCoreRelease Make402() {
  StacksCoreRelease r;
  r.version = "4.0.2";
  r.testnet.balances = {
      {"ST2QKZ4FKHAH1NQKYKYAYZPY440FEPK7GZ1R5HBP2", 10000000000000000ULL},
      {"ST319CF5WV77KYR1H3GT0GZ7B8Q4AQPY42ETP1VPF", 10000000000000000ULL},
      {"ST221Z6TDTC5E0BYR2V624Q2ST6R0Q71T78WTAX6H", 10000000000000000ULL},
      {"ST2TFVBMRPS5SSNP98DQKQ5JNB2B6NZM91C4K3P7B", 10000000000000000ULL},
      {"ST31XHNM0GZ2K978FPP4QA3STNQ73Z8C9G9MJEPK2", 10000000000000000ULL},
      {"ST1B38CGQRPXEMRH7B66VXTS22DQTNMSW4YJJ7QK1", 10000000000000000ULL},
      {"STDMN71Z0H9EF8CRKAWTGBB5YS0BNV26HZ79QFFP", 1000000000000000ULL},
      {"ST1E0PSCH72JMQH9QCH293ZTEEH7BPA40Y3F39XQ", 10000000000000ULL},
      {"ST3QBTK0Q438YVNX8EG6Z85HN0WKQPXYT25H5SPPK", 10000000000000ULL},
      {"ST10BX04F9PC6N1WBXKW3H7CG0NS0A3PK650T3P3R", 10000000000000ULL},
      {"ST3AF1BBQAFSFCM8K4ZBR1FBXP3P8J1CKGSGDHWR5", 100000000000000ULL},
      {"STHY13V44422NAN6D3NSJPY9CDR3ED1M6HH9WZ6Y", 10000000000000ULL},
  };
  r.testnet.epochs = {{"1.0", 0},    {"2.0", 0},    {"2.05", 1},   {"2.1", 2},    {"2.2", 3},
                      {"2.3", 4},    {"2.4", 5},    {"2.5", 6},    {"3.0", 1802}, {"3.1", 1803},
                      {"3.2", 1804}, {"3.3", 1805}, {"3.4", 1806}, {"4.0", 2702}};
  r.testnet.pox_prepare_length = 100;
  r.testnet.pox_reward_length = 900;
  r.testnet.pox_5_sbtc_contract = "SN3VMHXEN64ZZF71JQ5VESXDWTR301XTTXGF4J8F1.sbtc-token";
  r.testnet.pox_5_sbtc_registry_contract =
      "SN3VMHXEN64ZZF71JQ5VESXDWTR301XTTXGF4J8F1.sbtc-registry";
  r.testnet.pox_5_bond_admin = "ST1V2ASRWGR81W7GBN1Z4W2JQKXJWCADPVZG30X45";

  auto& node = r.node_keys.tables;
  node[""] = Keys({"node", "burnchain", "miner", "connection_options", "fee_estimation", "atlas",
                   "events_observer", "ustx_balance"});
  node["node"] = Keys({"seed",
                       "deny_nodes",
                       "working_dir",
                       "rpc_bind",
                       "p2p_bind",
                       "p2p_address",
                       "data_url",
                       "bootstrap_node",
                       "local_peer_seed",
                       "miner",
                       "stacker",
                       "mock_mining",
                       "mine_microblocks",
                       "wait_time_for_blocks",
                       "next_initiative_delay",
                       "prometheus_bind",
                       "marf_defer_hashing",
                       "marf_compress",
                       "event_dispatcher_blocking",
                       "event_dispatcher_queue_size",
                       "stacker_dbs",
                       "txindex",
                       "pox_5_sbtc_contract",
                       "pox_5_sbtc_registry_contract",
                       "pox_5_bond_admin",
                       "pox_5_pause_admin"});
  node["burnchain"] = Keys({"chain",
                            "mode",
                            "chain_id",
                            "burn_fee_cap",
                            "peer_host",
                            "peer_port",
                            "rpc_port",
                            "rpc_ssl",
                            "username",
                            "password",
                            "timeout",
                            "socket_timeout",
                            "magic_bytes",
                            "poll_time_secs",
                            "satoshis_per_byte",
                            "leader_key_tx_estimated_size",
                            "block_commit_tx_estimated_size",
                            "rbf_fee_increment",
                            "max_rbf",
                            "epochs",
                            "pox_prepare_length",
                            "pox_reward_length",
                            "wallet_name",
                            "max_unspent_utxos"});
  node["burnchain.epochs"] = Keys({"epoch_name", "start_height"});
  node["miner"] = Keys({"nakamoto_attempt_time_ms",
                        "mempool_walk_strategy",
                        "probability_pick_no_estimate_tx",
                        "block_reward_recipient",
                        "segwit",
                        "nonce_cache_size",
                        "candidate_retry_cache_size",
                        "mining_key",
                        "activated_vrf_key_path",
                        "txs_to_consider",
                        "filter_origins",
                        "min_time_between_blocks_ms",
                        "empty_mempool_sleep_ms",
                        "first_rejection_pause_ms",
                        "subsequent_rejection_pause_ms",
                        "block_commit_delay_ms",
                        "tenure_cost_limit_per_block_percentage",
                        "contract_cost_limit_percentage",
                        "tenure_extend_poll_secs",
                        "tenure_extend_wait_timeout_ms",
                        "tenure_timeout_secs",
                        "tenure_extend_cost_threshold",
                        "block_rejection_timeout_steps",
                        "max_execution_time_secs",
                        "max_analysis_time_secs",
                        "stackerdb_timeout_secs",
                        "max_tenure_bytes",
                        "log_skipped_transactions",
                        "max_assembly_mem_bytes"});
  r.node_keys.free_form = {"miner.block_rejection_timeout_steps"};
  node["connection_options"] = Keys({"inbox_maxlen",
                                     "outbox_maxlen",
                                     "connect_timeout",
                                     "handshake_timeout",
                                     "timeout",
                                     "idle_timeout",
                                     "heartbeat",
                                     "private_key_lifetime",
                                     "num_neighbors",
                                     "num_clients",
                                     "max_http_clients",
                                     "soft_num_neighbors",
                                     "soft_num_clients",
                                     "soft_max_neighbors_per_org",
                                     "soft_max_clients_per_host",
                                     "max_sockets",
                                     "walk_interval",
                                     "walk_seed_probability",
                                     "log_neighbors_freq",
                                     "dns_timeout",
                                     "max_inflight_blocks",
                                     "max_inflight_attachments",
                                     "read_only_call_limit_read_length",
                                     "read_only_call_limit_read_count",
                                     "read_only_call_limit_runtime",
                                     "maximum_call_argument_size",
                                     "inv_sync_interval",
                                     "inv_reward_cycles",
                                     "public_ip_address",
                                     "disable_inbound_walks",
                                     "disable_inbound_handshakes",
                                     "disable_block_download",
                                     "private_neighbors",
                                     "auth_token",
                                     "reject_blocks_pushed",
                                     "stackerdb_hint_replicas",
                                     "block_proposal_max_age_secs",
                                     "read_only_max_execution_time_secs",
                                     "read_only_call_max_mem_bytes",
                                     "block_proposal_validation_timeout_secs",
                                     "block_proposal_max_tx_mem_bytes",
                                     "max_transaction_push_bandwidth",
                                     "max_stackerdb_push_bandwidth",
                                     "max_nakamoto_block_push_bandwidth"});
  node["fee_estimation"] = Keys({"cost_estimator", "fee_estimator", "cost_metric", "disabled",
                                 "log_error", "fee_rate_fuzzer_fraction", "fee_rate_window_size"});
  node["atlas"] = Keys({"attachments_max_size", "max_uninstantiated_attachments",
                        "uninstantiated_attachments_expire_after",
                        "unresolved_attachment_instances_expire_after"});
  node["events_observer"] = Keys({"endpoint", "events_keys", "timeout_ms", "disable_retries"});
  node["ustx_balance"] = Keys({"address", "amount"});

  r.signer_keys.tables[""] = Keys({"node_host",
                                   "endpoint",
                                   "stacks_private_key",
                                   "network",
                                   "auth_password",
                                   "db_path",
                                   "event_timeout_ms",
                                   "metrics_endpoint",
                                   "first_proposal_burn_block_timing_secs",
                                   "block_proposal_timeout_ms",
                                   "chain_id",
                                   "tenure_last_block_proposal_timeout_secs",
                                   "block_proposal_validation_timeout_ms",
                                   "tenure_idle_timeout_secs",
                                   "read_count_idle_timeout_secs",
                                   "tenure_idle_timeout_buffer_secs",
                                   "block_proposal_max_age_secs",
                                   "reorg_attempts_activity_timeout_ms",
                                   "proposal_wait_for_parent_time_secs",
                                   "dry_run",
                                   "capitulate_miner_view_timeout_secs",
                                   "stackerdb_timeout_secs"});
  r.linux_x64_zip = "linux-glibc-x64.zip";
  r.linux_arm64_zip = "linux-glibc-arm64.zip";
  return r;
}

}  // namespace

const StacksCoreRelease& ReleaseData(std::string_view /*version*/) {
  static const StacksCoreRelease r402 = Make402();
  return r402;
}

}  // namespace sr::node
