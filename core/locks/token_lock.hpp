// Token-based lock: a coordinator holds one token and grants it to one requester at a time,
// queueing the others (FIFO) and taking it back on release. Clients retry lost requests.
// The coordinator is a single point of failure: its holder and queue are volatile, so after a
// crash and restart it can hand the token out while the old holder still believes it holds it.
// With `durable` the coordinator keeps them on disk and a restart changes nothing. The epoch
// (grants made, durable) doubles as a fencing token for the storage node.
#pragma once
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "core/locks/lock_client.hpp"
#include "core/process.hpp"

namespace dsplay {

struct TokenLockConfig {
  SimTimeUs hold_us = 400 * kUsPerMs;   // how long an automatic client holds the token
  SimTimeUs think_us = 800 * kUsPerMs;  // mean pause between an automatic client's releases and requests
  SimTimeUs retry_us = 2 * kUsPerS;     // a waiting client re-sends its request after this
  bool auto_acquire = true;             // clients loop acquire -> hold -> release by themselves
  bool durable = false;                 // the coordinator keeps holder and queue on disk (a crash forgets nothing)
  bool write = true;                    // a holder writes to the storage node (if any) before releasing
  bool operator==(const TokenLockConfig&) const = default;
};

class TokenCoordinator {
 public:
  explicit TokenCoordinator(const TokenLockConfig& config = {}) : config_(config) {}

  void on_start(ProcessContext& ctx);
  void on_message(ProcessContext& ctx, const Message& message);
  void on_timer(ProcessContext&, std::uint32_t) {}
  void on_crash();
  bool on_client_op(ProcessContext& ctx, const std::string& op, std::int64_t arg, std::string& error);
  NodeActivity activity() const { return NodeActivity::serving; }
  std::string status() const;
  Inspection inspect() const;
  void hash_into(Hasher& h) const;
  bool operator==(const TokenCoordinator&) const = default;

  NodeId holder() const { return holder_; }
  std::vector<NodeId> queue() const;  // waiting clients, first in line first
  std::uint64_t epoch() const { return epoch_; }
  std::uint64_t grants() const { return grants_; }
  void set_config(const TokenLockConfig& config) { config_ = config; }

 private:
  void grant(ProcessContext& ctx, NodeId client, std::uint64_t request_id);

  TokenLockConfig config_;
  // volatile unless config_.durable: lost on crash
  NodeId holder_ = kNoNode;
  std::uint64_t holder_request_ = 0;
  std::deque<std::pair<NodeId, std::uint64_t>> waiting_;  // (client, request id), FIFO
  std::uint64_t grants_ = 0;
  // durable: survives a crash (kept on "disk") so epochs stay unique
  std::uint64_t epoch_ = 0;
};

class TokenClient : public LockClientBase<TokenClient> {
 public:
  enum class State : std::uint8_t { idle, waiting, holding };
  explicit TokenClient(const TokenLockConfig& config = {}) : config_(config) {}

  void on_start(ProcessContext& ctx) { program_start(ctx); }
  void on_message(ProcessContext& ctx, const Message& message);
  void on_timer(ProcessContext& ctx, std::uint32_t kind);
  void on_crash();
  bool on_client_op(ProcessContext& ctx, const std::string& op, std::int64_t arg, std::string& error);
  std::string status() const;
  Inspection inspect() const;
  void hash_into(Hasher& h) const;
  bool operator==(const TokenClient&) const = default;

  State state() const;
  bool holds() const { return critical_section().inside; }
  std::uint64_t epoch() const { return token(); }
  std::uint64_t acquisitions() const { return entries(); }
  void set_config(const TokenLockConfig& config) { config_ = config; }

  enum TimerKind : std::uint32_t { kRetry = 3 };

  // LockClientBase protocol
  CsProgram program() const;
  void begin_acquire(ProcessContext& ctx);
  void release_lock(ProcessContext& ctx);

 private:
  TokenLockConfig config_;
  std::uint64_t request_id_ = 0;
  std::uint64_t retry_timer_ = 0;
};

}  // namespace dsplay
