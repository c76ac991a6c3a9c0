#include "node/system_files.h"

#include <nlohmann/json.hpp>

#include "node/layout.h"
#include "node/stacks_configs.h"
#include "templates/names.h"

namespace sr::node {
namespace {

// Confinement the services share: they write only their own data directory (or nothing).
std::string Hardening(const std::string& writable) {
  return "NoNewPrivileges=yes\n"
         "ProtectSystem=strict\n" +
         (writable.empty() ? std::string() : "ReadWritePaths=" + writable + "\n") +
         "ProtectHome=yes\n"
         "PrivateTmp=yes\n"
         "PrivateDevices=yes\n"
         "ProtectKernelTunables=yes\n"
         "ProtectKernelModules=yes\n"
         "ProtectKernelLogs=yes\n"
         "ProtectControlGroups=yes\n"
         "ProtectClock=yes\n"
         "ProtectHostname=yes\n"
         "RestrictNamespaces=yes\n"
         "RestrictRealtime=yes\n"
         "RestrictSUIDSGID=yes\n"
         "LockPersonality=yes\n"
         "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX\n"
         "SystemCallArchitectures=native\n"
         "CapabilityBoundingSet=\n"
         "UMask=0027\n";
}

}  // namespace

std::string NodeUnit(const config::Config& c) {
  const bool signer = HasSigner(c);
  std::string u =
      "# Written by stacks-runner node bootstrap; changes are overwritten on the next run.\n"
      "[Unit]\n"
      "Description=Stacks node (" +
      std::string(c.network->name) + " " + std::string(config::RoleName(c.role)) +
      ")\n"
      "Documentation=https://docs.stacks.co/operate/run-a-node\n"
      "Wants=network-online.target\n"
      "After=network-online.target\n"
      "RequiresMountsFor=" +
      std::string(paths::kDataMount) + "\n";
  if (signer) {
    // The node stalls while it cannot deliver events to its signer: start the signer first.
    u += "Wants=stacks-signer.service\nAfter=stacks-signer.service\n";
  }
  u += "\n[Service]\n"
       "Type=simple\n"
       "User=" +
       std::string(paths::kNodeUser) +
       "\n"
       "Group=" +
       std::string(paths::kNodeUser) + "\n";
  if (c.download_chainstate) {
    // Never start on a partial or unverified chainstate.
    u += "ExecStartPre=/usr/bin/test -f " + std::string(paths::kChainstateReady) + "\n";
  }
  u += "ExecStart=" + std::string(paths::kNodeBinary) + " start --config " +
       std::string(paths::kNodeConfig) +
       "\n"
       "StandardOutput=append:" +
       std::string(paths::kNodeLog) +
       "\n"
       "StandardError=append:" +
       std::string(paths::kNodeLog) +
       "\n"
       "KillSignal=SIGINT\n"
       "TimeoutStopSec=" +
       std::to_string(kNodeStopTimeoutSec) +
       "\n"
       "Restart=on-failure\n"
       "RestartSec=30\n"
       "LimitNOFILE=524288\n" +
       Hardening(paths::kNodeWorkingDir) +
       "\n[Install]\n"
       "WantedBy=multi-user.target\n";
  return u;
}

std::string SignerUnit(const config::Config& c) {
  return "# Written by stacks-runner node bootstrap; changes are overwritten on the next run.\n"
         "[Unit]\n"
         "Description=Stacks signer (" +
         std::string(c.network->name) +
         ")\n"
         "Documentation=https://docs.stacks.co/operate/run-a-signer\n"
         "Wants=network-online.target\n"
         "After=network-online.target\n"
         "Before=stacks-node.service\n"
         "RequiresMountsFor=" +
         std::string(paths::kDataMount) +
         "\n"
         "\n[Service]\n"
         "Type=simple\n"
         "User=" +
         std::string(paths::kSignerUser) +
         "\n"
         "Group=" +
         std::string(paths::kSignerUser) +
         "\n"
         "ExecStart=" +
         std::string(paths::kSignerBinary) + " run --config " + std::string(paths::kSignerConfig) +
         "\n"
         "StandardOutput=append:" +
         std::string(paths::kSignerLog) +
         "\n"
         "StandardError=append:" +
         std::string(paths::kSignerLog) +
         "\n"
         "KillSignal=SIGTERM\n"
         "TimeoutStopSec=600\n"
         "Restart=on-failure\n"
         "RestartSec=10\n"
         "LimitNOFILE=65536\n" +
         Hardening(paths::kSignerDir) +
         "\n[Install]\n"
         "WantedBy=multi-user.target\n";
}

std::string AgentUnit(const config::Config& c, const std::string& asg,
                      const std::string& lifecycle_hook) {
  std::string exec =
      std::string(paths::kRunnerBinary) + " node agent --settings " + std::string(paths::kSettings);
  if (!asg.empty() && !lifecycle_hook.empty()) {
    exec += " --asg " + asg + " --lifecycle-hook " + lifecycle_hook;
  }
  return "# Written by stacks-runner node bootstrap; changes are overwritten on the next run.\n"
         "[Unit]\n"
         "Description=stacks-runner node agent (" +
         std::string(c.network->name) +
         "): sync-aware health, metrics, launch hook\n"
         "Wants=network-online.target\n"
         "After=network-online.target stacks-node.service\n"
         "\n[Service]\n"
         "Type=simple\n"
         // Its own user: the agent serves HTTP to the load balancer, and can read nothing of the
         // node's chainstate or the signer's keys.
         "User=" +
         std::string(paths::kAgentUser) +
         "\n"
         "Group=" +
         std::string(paths::kAgentUser) +
         "\n"
         "ExecStart=" +
         exec +
         "\n"
         "StandardOutput=append:" +
         std::string(paths::kAgentLog) +
         "\n"
         "StandardError=append:" +
         std::string(paths::kAgentLog) +
         "\n"
         "KillSignal=SIGTERM\n"
         "TimeoutStopSec=30\n"
         "Restart=always\n"
         "RestartSec=5\n"
         // A leak or a runaway loop in the agent must never starve the node.
         "MemoryMax=64M\n"
         "CPUQuota=25%\n"
         "TasksMax=16\n"
         "LimitNOFILE=1024\n"
         "MemoryDenyWriteExecute=yes\n"
         "SystemCallFilter=@system-service\n" +
         Hardening("") +
         "\n[Install]\n"
         "WantedBy=multi-user.target\n";
}

std::string Logrotate(const config::Config&) {
  // Keep a week at least (the signer docs ask for a week of logs), compressed.
  return "# Written by stacks-runner node bootstrap.\n" + std::string(paths::kLogDir) +
         "/*.log {\n"
         "  daily\n"
         "  rotate 14\n"
         "  maxsize 1G\n"
         "  missingok\n"
         "  notifempty\n"
         "  compress\n"
         "  delaycompress\n"
         "  copytruncate\n"
         "}\n" +
         std::string(paths::kRunnerLogDir) +
         "/*.log {\n"
         "  weekly\n"
         "  rotate 8\n"
         "  maxsize 100M\n"
         "  missingok\n"
         "  notifempty\n"
         "  compress\n"
         "  delaycompress\n"
         "  copytruncate\n"
         "}\n";
}

std::string CloudWatchAgentConfig(const config::Config& c, const std::string& deployment) {
  using nlohmann::ordered_json;
  const std::string group = "/stacks-runner/" + deployment + "/";
  ordered_json files =
      ordered_json::array({ordered_json{{"file_path", paths::kNodeLog},
                                        {"log_group_name", group + "stacks-node"},
                                        {"log_stream_name", "{instance_id}"},
                                        {"retention_in_days", 30}},
                           ordered_json{{"file_path", "/var/log/stacks-runner/*.log"},
                                        {"log_group_name", group + "stacks-runner"},
                                        {"log_stream_name", "{instance_id}"},
                                        {"retention_in_days", 30}}});
  if (HasSigner(c)) {
    files.push_back(ordered_json{{"file_path", paths::kSignerLog},
                                 {"log_group_name", group + "stacks-signer"},
                                 {"log_stream_name", "{instance_id}"},
                                 {"retention_in_days", 30}});
  }
  ordered_json config{
      {"agent", {{"metrics_collection_interval", 60}, {"run_as_user", "cwagent"}}},
      {"metrics",
       {{"namespace", templates::kCloudWatchAgentNamespace},
        {"append_dimensions", {{"InstanceId", "${aws:InstanceId}"}}},
        {"aggregation_dimensions",
         ordered_json::array({ordered_json::array({"InstanceId"}),
                              ordered_json::array({"InstanceId", "path"}),
                              ordered_json::array({"InstanceId", "name"})})},
        {"metrics_collected",
         {{"cpu",
           {{"measurement",
             ordered_json::array({"cpu_usage_iowait", "cpu_usage_user", "cpu_usage_system"})},
            {"totalcpu", true}}},
          {"mem", {{"measurement", ordered_json::array({"mem_used_percent"})}}},
          {"swap", {{"measurement", ordered_json::array({"swap_used_percent"})}}},
          {"disk",
           {{"measurement", ordered_json::array({"used_percent", "inodes_free"})},
            {"resources", ordered_json::array({"/", paths::kDataMount})},
            {"drop_device", true}}},
          {"diskio",
           {{"measurement", ordered_json::array({"reads", "writes", "read_bytes", "write_bytes",
                                                 "read_time", "write_time", "io_time"})}}}}}}},
      {"logs", {{"logs_collected", {{"files", {{"collect_list", files}}}}}}}};
  return config.dump(2) + "\n";
}

}  // namespace sr::node
