// The settings file a node reads at boot: the effective configuration, every default made
// explicit, in the .env form LoadConfig reads, and with no secret in it. It is uploaded to the
// assets bucket under a content-addressed key that the user data names and verifies.
#ifndef STACKS_RUNNER_TEMPLATES_NODE_SETTINGS_H_
#define STACKS_RUNNER_TEMPLATES_NODE_SETTINGS_H_

#include <string>

#include "config/config.h"

namespace sr::templates {

struct NodeSettingsAsset {
  std::string content;
  std::string sha256;  // hex digest of content
  std::string key;     // object key in the assets bucket: "settings/<sha256>.env"
};

NodeSettingsAsset RenderNodeSettings(const config::Config& config);

}  // namespace sr::templates

#endif  // STACKS_RUNNER_TEMPLATES_NODE_SETTINGS_H_
