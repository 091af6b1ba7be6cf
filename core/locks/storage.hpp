// The protected resource: a storage node that lock clients write to while they believe they hold
// the lock. It records every write (who, when, which token, accepted or not). In fenced mode it
// rejects a write whose token is lower than the highest it has accepted (Kleppmann's fencing
// token), which is what keeps the data safe when the lock itself fails. Its data is durable.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/locks/lock_server.hpp"
#include "core/locks/locks_config.hpp"
#include "core/process.hpp"

namespace dsplay {

struct StorageWriteRecord {
  NodeId client = kNoNode;
  SimTimeUs time_us = 0;       // true (simulated) time of arrival
  std::uint64_t token = 0;
  std::uint64_t entry = 0;     // the client's critical-section number
  std::uint64_t event = 0;     // the event that processed it (the UI seeks there)
  std::uint64_t number = 0;    // 1, 2, ... over the whole run
  bool accepted = false;
  bool operator==(const StorageWriteRecord&) const = default;
};

class StorageNode : public LockServerBase<StorageNode> {
 public:
  static constexpr const char* kServerName = "the storage node";
  static constexpr std::size_t kLogKeep = 256;  // the write log keeps the latest writes; counts keep all

  explicit StorageNode(const LocksConfig& config = {}) : fenced_(config.storage_fenced) {}

  void on_start(ProcessContext&) {}
  void on_message(ProcessContext& ctx, const Message& message);
  void on_timer(ProcessContext&, std::uint32_t) {}
  void on_crash() {}  // a database: everything is durable
  std::string status() const;
  Inspection inspect() const;
  void hash_into(Hasher& h) const;
  bool operator==(const StorageNode&) const = default;
  void set_config(const LocksConfig& config) { fenced_ = config.storage_fenced; }

  bool fenced() const { return fenced_; }
  std::uint64_t highest_token() const { return highest_token_; }
  std::uint64_t writes() const { return writes_; }
  std::uint64_t accepted() const { return accepted_; }
  std::uint64_t rejected() const { return rejected_; }
  // The kept part of the write log: log_size() records, log_at(0) the oldest.
  std::size_t log_size() const { return log_.size(); }
  const StorageWriteRecord& log_at(std::size_t i) const { return log_[(log_head_ + i) % log_.size()]; }

 private:
  struct Seen {  // recent (client, entry) pairs: a retried write is answered again, not written twice
    NodeId client;
    std::uint64_t entry;
    bool accepted;
    bool operator==(const Seen&) const = default;
  };
  bool fenced_ = false;
  std::uint64_t highest_token_ = 0;
  std::uint64_t writes_ = 0;
  std::uint64_t accepted_ = 0;
  std::uint64_t rejected_ = 0;
  std::vector<StorageWriteRecord> log_;  // a ring once full: log_head_ is the oldest
  std::uint32_t log_head_ = 0;
  std::vector<Seen> seen_;  // ring of the last 64
  std::uint32_t seen_next_ = 0;
};

}  // namespace dsplay
