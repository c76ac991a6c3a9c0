// Exit codes of every command (docs/operations.md lists them for users).
#ifndef STACKS_RUNNER_CLI_EXIT_CODES_H_
#define STACKS_RUNNER_CLI_EXIT_CODES_H_

namespace sr::cli {

inline constexpr int kExitOk = 0;
// The command ran and failed: an I/O error, an AWS error, a failed deployment. `diff` also
// exits 1 when the stacks differ, as diff(1) does.
inline constexpr int kExitFailure = 1;
// The input is wrong: bad usage, an invalid configuration file or value. Nothing was written.
inline constexpr int kExitInvalidInput = 2;
// The security checks (docs/security-checks.md) found unsuppressed errors in the templates: synth
// wrote the templates and nag-report.json/.csv all the same (as cdk synth does with cdk-nag);
// deploy deployed nothing. --allow-nag-errors turns this into a warning.
inline constexpr int kExitChecksFailed = 3;

}  // namespace sr::cli

#endif  // STACKS_RUNNER_CLI_EXIT_CODES_H_
