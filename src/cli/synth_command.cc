#include "cli/synth_command.h"

#include <iomanip>
#include <sstream>

#include "cli/cost_command.h"
#include "cli/exit_codes.h"
#include "cli/load_config.h"
#include "cli/nag.h"
#include "templates/node_stacks.h"
#include "util/sha256.h"

namespace sr::cli {
namespace {

std::string WithCommas(size_t n) {
  std::string digits = std::to_string(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ",");
  return digits;
}

std::string DataLine(const config::Config& c) {
  std::ostringstream s;
  const auto& v = c.data_volume;
  s << config::VolumeTypeName(v.type);
  if (v.type != config::VolumeType::kInstanceStore) s << ", " << v.size_gib << " GiB";
  if (v.iops) s << ", " << *v.iops << " IOPS";
  if (v.throughput) s << ", " << *v.throughput << " MiB/s";
  s << "; ";
  if (!c.download_chainstate) {
    s << "chainstate synced from peers";
  } else if (!c.chainstate_archive.empty()) {
    s << "chainstate restored from " << c.chainstate_archive;
  } else {
    s << "chainstate restored from " << c.network->archive_base;
  }
  return s.str();
}

}  // namespace

templates::NodeBinary FindNodeBinary(Context& ctx, config::CpuArch arch) {
  templates::NodeBinary binary;
  binary.arch = arch;
  binary.path = ctx.dist_dir + "/" + templates::NodeBinaryFileName(arch);
  if (ctx.fs->IsFile(binary.path)) {
    std::string error;
    if (auto bytes = ctx.fs->ReadFile(binary.path, &error)) {
      binary.sha256 = util::Sha256Hex(*bytes);
    }
  }
  return binary;
}

std::string FormatPlan(const config::Config& c, const std::string& source,
                       const std::string& out_dir, const templates::SynthResult& result,
                       const templates::NodeBinary& binary, const std::string& cost_line) {
  std::ostringstream s;
  s << "stacks-runner synth: " << source << "\n";
  s << "  network    " << c.network->name << " (burnchain mode " << c.network->burnchain_mode
    << "; bitcoind " << c.bitcoin.host << ", P2P " << c.bitcoin.p2p_port << ")\n";
  s << "  role       " << config::RoleName(c.role) << ", stacks-core " << c.stacks_version << "\n";
  s << "  instance   " << c.instance_type << " (" << config::CpuArchName(c.arch)
    << "), Amazon Linux 2023, root " << c.root_volume_gib << " GiB gp3\n";
  s << "  data       " << DataLine(c) << "\n";
  s << "  ports      P2P " << c.p2p_port << " tcp+udp from anywhere; RPC " << c.rpc_port << " from "
    << (c.placement.rpc_allowed_cidrs.empty()
            ? std::string("the VPC")
            : c.placement.rpc_allowed_cidrs.front() +
                  (c.placement.rpc_allowed_cidrs.size() > 1 ? " and others" : ""))
    << "\n";
  bool has_ha = false;
  for (const auto& st : result.stacks) has_ha |= st.identity.kind == templates::StackKind::kHaNodes;
  if (has_ha) {
    s << "  HA         " << c.ha.nodes << " nodes behind an internal load balancer; grace "
      << c.ha.health_check_grace_min << " min, launch heartbeat " << c.ha.lifecycle_heartbeat_min
      << " min\n";
  }
  if (!cost_line.empty()) s << "  cost       " << cost_line << "\n";
  s << "\nWrote " << out_dir << "/\n";
  s << "  " << std::left << std::setw(20) << "stack" << std::setw(31) << "CloudFormation name"
    << std::right << std::setw(9) << "resources" << std::setw(10) << "bytes"
    << "  deploy after\n";
  for (const auto& st : result.stacks) {
    s << "  " << std::left << std::setw(20) << st.identity.id << std::setw(31)
      << st.identity.stack_name << std::right << std::setw(9) << st.resources << std::setw(10)
      << WithCommas(st.template_bytes) << "  "
      << (st.depends_on.empty() ? std::string("-") : st.depends_on.front()) << "\n";
  }
  s << "  and manifest.json";
  for (const auto& f : result.files) {
    if (f.path.starts_with("assets/")) s << ", " << f.path;
  }
  s << ", nag-report.json, nag-report.csv\n";

  bool node_stacks = false;
  for (const auto& st : result.stacks) node_stacks |= !st.depends_on.empty();
  if (node_stacks) {
    s << "\nAt deploy time: the VPC, its CIDR and subnets ("
      << (c.placement.vpc_id.empty() ? "the default VPC" : c.placement.vpc_id) << "), the AMI ("
      << templates::AmiSsmParameter(c.arch) << "), and the node binary";
    if (binary.sha256) {
      s << " (" << binary.path << ", sha256 " << binary.sha256->substr(0, 12) << "...)";
    } else {
      s << " (not built yet: run `make dist` before deploying)";
    }
    s << ".\n";
  }
  std::string ids;
  for (const auto& st : result.stacks) ids += " " + st.identity.id;
  s << "Next: stacks-runner deploy" << ids << (source == "environment" ? "" : " --env " + source)
    << "\n";
  return s.str();
}

int RunSynth(Context& ctx, const SynthOptions& options) {
  auto loaded = LoadConfigForCommand(ctx, options.env_file);
  if (!loaded) return kExitInvalidInput;
  const config::Config& config = loaded->config;

  templates::StackSelection selection = templates::SelectStacks(config, options.stacks);
  if (!selection.error.empty()) {
    *ctx.err << "synth: " << selection.error << "\n";
    return kExitInvalidInput;
  }
  const templates::NodeBinary binary = FindNodeBinary(ctx, config.arch);
  templates::SynthResult result = templates::Synthesize(config, selection.stacks, binary);

  // The security checks run on the templates as written. Like cdk synth with cdk-nag, synth
  // writes the templates and the reports even when a check fails, then fails: the reports name
  // logical ids of those templates, and deploy checks again before it deploys anything.
  const checks::CheckResult findings = CheckAssembly(config, result);

  std::vector<util::FileToWrite> files;
  for (auto& f : result.files) files.push_back({f.path, f.content});
  for (auto& f : NagReportFiles(findings)) files.push_back(std::move(f));
  std::string error;
  if (!ctx.fs->WriteFiles(options.out_dir, files, &error)) {
    *ctx.err << "synth: " << error << "\n";
    return kExitFailure;
  }
  *ctx.out << FormatPlan(config, loaded->source, options.out_dir, result, binary,
                         CostLine(config, result));
  if (!ReportFindings(findings, "synth", options.allow_nag_errors, *ctx.out, *ctx.err)) {
    return kExitChecksFailed;
  }
  return kExitOk;
}

}  // namespace sr::cli
