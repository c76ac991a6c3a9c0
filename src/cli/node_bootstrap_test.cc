// `node bootstrap --root DIR --dry-run` as a whole process: a temporary root with a simulated
// data disk, the stacks-core release downloaded from a local HTTP server (a generated zip and its
// CHECKSUMS.txt, and a tampered one), nothing changed outside the root.
#include <archive.h>
#include <archive_entry.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "templates/node_settings.h"
#include "testing/fake_aws.h"
#include "testing/test_support.h"
#include "util/sha256.h"

namespace sr::cli {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

std::string Zip(const std::vector<std::pair<std::string, std::string>>& files) {
  struct archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  std::vector<char> buffer(1 << 20);
  size_t used = 0;
  archive_write_open_memory(a, buffer.data(), buffer.size(), &used);
  for (const auto& [name, content] : files) {
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0755);
    archive_entry_set_size(e, static_cast<la_int64_t>(content.size()));
    archive_write_header(a, e);
    archive_write_data(a, content.data(), content.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return std::string(buffer.data(), used);
}

std::string Sha512(const std::string& s) {
  util::Sha512 h;
  h.Update(s);
  return h.FinishHex();
}

void Write(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A local release host (tests/node/file_server.py) serving `dir`.
class ReleaseServer {
 public:
  explicit ReleaseServer(const fs::path& dir) {
    int fds[2];
    (void)::pipe(fds);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], 1);
      ::close(fds[0]);
      const std::string script =
          std::string(STACKS_RUNNER_SOURCE_DIR) + "/tests/node/file_server.py";
      ::execl("/usr/bin/python3", "python3", script.c_str(), dir.c_str(), nullptr);
      ::_exit(127);
    }
    ::close(fds[1]);
    FILE* f = ::fdopen(fds[0], "r");
    char line[64];
    if (std::fgets(line, sizeof line, f) != nullptr && std::string(line).rfind("PORT ", 0) == 0) {
      port_ = std::atoi(line + 5);
    }
    std::fclose(f);
  }
  ~ReleaseServer() {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/releases"; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

class NodeBootstrapProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("stacks-runner-bootstrap-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    root_ = dir_ / "root";
    // The node settings, as the user data fetched them.
    const auto config = testing::ConfigFrom("STACKS_NETWORK=testnet\n");
    Write(root_ / "etc/stacks-runner/node.env", templates::RenderNodeSettings(config).content);
    // A root disk and the data volume, as sysfs shows them on a Nitro instance.
    Disk("nvme0n1", "vol0aaaaaaaaaaaaaaaa", true);
    Disk("nvme1n1", "vol0123456789abcdef0", false);
    Write(root_ / ".dry-run/root-device", "/dev/nvme0n1\n");
    // The release host.
    zip_ = Zip({{"stacks-node", "#!/bin/sh\necho node\n"}, {"stacks-cli", "cli"}});
    Serve(zip_, zip_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Disk(const std::string& name, const std::string& serial, bool root) {
    const fs::path d = root_ / "sys/block" / name;
    Write(d / "device/model", "Amazon Elastic Block Store\n");
    Write(d / "device/serial", serial + "\n");
    Write(d / "size", "4194304\n");
    if (root) fs::create_directories(d / (name + "p1"));
  }
  void Serve(const std::string& served, const std::string& listed) {
    const fs::path release = dir_ / "www/releases/download/4.0.2";
    const std::string asset = "linux-glibc-x64.zip";
    Write(release / asset, served);
    Write(release / "CHECKSUMS.txt",
          Sha512(listed) + "  " + asset + "\n" + Sha512("arm") + "  linux-glibc-arm64.zip\n");
  }
  testing::CliResult Bootstrap(const ReleaseServer& server) {
    return testing::RunCli(dir_,
                           "node bootstrap --root '" + root_.string() +
                               "' --dry-run --cfn-stack stacks-single-node-follower "
                               "--cfn-resource NodeInstance --data-volume vol-0123456789abcdef0 "
                               "--release-url " +
                               server.url(),
                           {{"HOME", dir_.string()}, {"AWS_EC2_METADATA_DISABLED", "true"}});
  }

  fs::path dir_, root_;
  std::string zip_;
};

TEST_F(NodeBootstrapProcess, InstallsIntoTheRootAndRerunsWithoutChange) {
  ReleaseServer server(dir_ / "www");
  const auto first = Bootstrap(server);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(Read(root_ / "opt/stacks/4.0.2/stacks-node"), "#!/bin/sh\necho node\n");
  EXPECT_FALSE(fs::exists(root_ / "opt/stacks/4.0.2/stacks-cli"));
  EXPECT_EQ(fs::read_symlink(root_ / "opt/stacks/current"), "/opt/stacks/4.0.2");
  EXPECT_THAT(Read(root_ / "etc/fstab"), HasSubstr(" /var/lib/stacks xfs defaults,noatime,nofail"));
  EXPECT_THAT(Read(root_ / "etc/stacks/stacks-node.toml"), HasSubstr("mode = \"krypton\""));
  EXPECT_THAT(Read(root_ / "etc/passwd"), HasSubstr("stacks:x:"));
  EXPECT_TRUE(fs::exists(root_ / "etc/systemd/system/stacks-node.service"));
  EXPECT_THAT(first.err, HasSubstr("dry run: mkfs.xfs -L stacks-data /dev/nvme1n1"));
  EXPECT_THAT(first.err, HasSubstr("linux-glibc-x64.zip matches CHECKSUMS.txt"));
  EXPECT_THAT(first.err, HasSubstr("dry run: /opt/stacks/current/stacks-node check-config"));
  EXPECT_THAT(first.err, HasSubstr("dry run: SignalResource SUCCESS stacks-single-node-follower/"
                                   "NodeInstance"));
  EXPECT_THAT(Read(root_ / "var/log/stacks-runner/bootstrap.log"),
              HasSubstr("bootstrap: step signal: changed"));

  const auto again = Bootstrap(server);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.err, Not(HasSubstr("mkfs.xfs")));
  EXPECT_THAT(again.err, HasSubstr("step data-volume: ok"));
  EXPECT_THAT(again.err, HasSubstr("step stacks-release: ok"));
  EXPECT_THAT(again.err, HasSubstr("step configs: ok"));
}

TEST_F(NodeBootstrapProcess, TamperedReleaseIsRefused) {
  Serve(Zip({{"stacks-node", "#!/bin/sh\necho evil\n"}}), zip_);
  ReleaseServer server(dir_ / "www");
  const auto r = Bootstrap(server);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("does not match the release's CHECKSUMS.txt"));
  EXPECT_THAT(r.err, HasSubstr("node bootstrap failed at step stacks-release"));
  EXPECT_THAT(r.err, HasSubstr("dry run: SignalResource FAILURE stacks-single-node-follower/"
                               "NodeInstance i-0d0d0d0d0d0d0d0d0 failed at stacks-release"));
  EXPECT_FALSE(fs::exists(root_ / "opt/stacks/4.0.2"));
  EXPECT_FALSE(fs::exists(root_ / "opt/stacks/4.0.2-linux-glibc-x64.zip.part"));
}

TEST_F(NodeBootstrapProcess, VolumeWithDataIsKept) {
  Write(root_ / ".dry-run/filesystems/nvme1n1",
        "TYPE=xfs\nUUID=abcdef01-2345-4678-9abc-def012345678\n");
  ReleaseServer server(dir_ / "www");
  const auto r = Bootstrap(server);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, Not(HasSubstr("mkfs")));
  EXPECT_THAT(Read(root_ / "etc/fstab"),
              HasSubstr("UUID=abcdef01-2345-4678-9abc-def012345678 /var/lib/stacks xfs"));
}

TEST_F(NodeBootstrapProcess, ArgumentsAreChecked) {
  const auto r = testing::RunCli(dir_, "node bootstrap --dry-run --root '" + root_.string() + "'",
                                 {{"HOME", dir_.string()}});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("give either --cfn-stack"));
}

TEST_F(NodeBootstrapProcess, SecretFlagsAndTheIdentityUrlAreChecked) {
  const std::string base = "node bootstrap --dry-run --root '" + root_.string() +
                           "' --cfn-stack s --cfn-resource r --data-volume vol-0123456789abcdef0 ";
  const auto arn =
      testing::RunCli(dir_, base + "--miner-secret my-miner-key", {{"HOME", dir_.string()}});
  EXPECT_EQ(arn.exit_code, 2);
  // Not an ARN, so possibly the secret itself: never repeated.
  EXPECT_THAT(arn.err, HasSubstr("--miner-secret (value not shown: it may be a secret) is not a "
                                 "Secrets Manager secret ARN"));
  EXPECT_THAT(arn.err, ::testing::Not(HasSubstr("my-miner-key")));
  const auto bad_arn = testing::RunCli(dir_, base + "--signer-secret arn:aws:s3:::bucket",
                                       {{"HOME", dir_.string()}});
  EXPECT_EQ(bad_arn.exit_code, 2);
  EXPECT_THAT(bad_arn.err, HasSubstr("--signer-secret arn:aws:s3:::bucket is not a Secrets"));
  const auto url = testing::RunCli(dir_, base + "--identity-url 'ftp://h/x?X-Amz-Signature=s3kr1t'",
                                   {{"HOME", dir_.string()}});
  EXPECT_EQ(url.exit_code, 2);
  EXPECT_THAT(url.err, HasSubstr("--identity-url is not an http(s) URL"));
  EXPECT_THAT(url.err, Not(HasSubstr("s3kr1t")));
}

TEST_F(NodeBootstrapProcess, SignerPublishesItsIdentityWithoutShowingTheHandle) {
  const auto config = testing::ConfigFrom(
      "STACKS_NETWORK=testnet\nSTACKS_NODE_CONFIGURATION=signer\nBITCOIN_PEER_HOST=btc.internal\n");
  Write(root_ / "etc/stacks-runner/node.env", templates::RenderNodeSettings(config).content);
  const std::string zip =
      Zip({{"stacks-node", "#!/bin/sh\necho node\n"}, {"stacks-signer", "#!/bin/sh\n"}});
  Serve(zip, zip);
  ReleaseServer server(dir_ / "www");
  const auto r = testing::RunCli(
      dir_,
      "node bootstrap --root '" + root_.string() +
          "' --dry-run --cfn-stack stacks-single-node-signer --cfn-resource NodeInstance "
          "--data-volume vol-0123456789abcdef0 --release-url " +
          server.url() +
          " --signer-secret arn:aws:secretsmanager:us-east-1:111111111111:secret:sig"
          " --identity-url 'https://cloudformation-waitcondition-us-east-1.s3.amazonaws.com/"
          "h?X-Amz-Signature=s3kr1t'",
      {{"HOME", dir_.string()}, {"AWS_EC2_METADATA_DISABLED", "true"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("dry run: the secrets would be read from AWS Secrets Manager"));
  EXPECT_THAT(r.err, HasSubstr("bytes to cloudformation-waitcondition-us-east-1.s3.amazonaws.com"));
  EXPECT_THAT(r.err, HasSubstr("step identity: changed (signer-address, signer-public-key sent "
                               "to the stack)"));
  EXPECT_THAT(r.err, Not(HasSubstr("s3kr1t")));
  EXPECT_THAT(Read(root_ / "etc/stacks/stacks-signer.toml"), HasSubstr("auth_password"));
}

}  // namespace
}  // namespace sr::cli
