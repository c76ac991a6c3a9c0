// Ports the node runtime uses on the instance besides the configurable P2P and RPC ports. None of
// them is ever opened to the internet.
#ifndef STACKS_RUNNER_CONFIG_PORTS_H_
#define STACKS_RUNNER_CONFIG_PORTS_H_

namespace sr::config {

inline constexpr int kPrometheusPort = 9153;      // stacks-node metrics, loopback and VPC only
inline constexpr int kSignerEventPort = 30000;    // node -> signer events, loopback only
inline constexpr int kSignerMetricsPort = 30001;  // signer /metrics and /heartbeat, loopback only
inline constexpr int kAgentPort = 9180;           // stacks-runner agent /health, /status, /metrics

}  // namespace sr::config

#endif  // STACKS_RUNNER_CONFIG_PORTS_H_
