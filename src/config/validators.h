// Shape checks for single values, shared by the loader and the deploy-time resolvers.
#ifndef STACKS_RUNNER_CONFIG_VALIDATORS_H_
#define STACKS_RUNNER_CONFIG_VALIDATORS_H_

#include <string_view>

namespace sr::config {

bool IsAccountId(std::string_view s);  // 12 digits
bool IsRegion(std::string_view s);     // us-east-1, eu-central-2, us-gov-west-1, cn-north-1
bool IsHost(std::string_view s);       // RFC 1123 host name or dotted IPv4
bool IsIpv4Cidr(std::string_view s);   // 10.0.0.0/16
bool IsResourceId(std::string_view s, std::string_view prefix);  // vpc-0abc..., subnet-...
bool IsSecretArn(std::string_view s);     // arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME
bool IsArchiveUrl(std::string_view s);    // http(s) URL ending in .tar.zst, .tar.gz or .tgz
bool IsBaseUrl(std::string_view s);       // http(s)://HOST[:PORT][/PATH], no query or fragment
bool IsEmailAddress(std::string_view s);  // one address: local@domain.tld
// PUBKEY@HOST:PORT with a compressed secp256k1 public key in hex (66 characters).
bool IsBootstrapNode(std::string_view s);

// stacks-core release numbers: X.Y.Z (4.x) or X.Y.Z.A.N (3.x).
bool IsStacksVersion(std::string_view s);
// Numeric, part by part; missing parts count as 0. Both must pass IsStacksVersion.
int CompareVersions(std::string_view a, std::string_view b);

}  // namespace sr::config

#endif  // STACKS_RUNNER_CONFIG_VALIDATORS_H_
