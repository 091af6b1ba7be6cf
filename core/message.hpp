// Message payloads of every protocol in core/, as one closed std::variant so that a world stays
// a plain copyable, comparable value. Each payload describes itself for the trace and the UI.
#pragma once
#include <cstdint>
#include <string>
#include <variant>

#include "core/network.hpp"
#include "core/raft/raft_types.hpp"
#include "core/sim_time.hpp"

namespace dsplay {

// --- token lock (core/token_lock.hpp) ---
struct TokenRequest {
  std::uint64_t request_id = 0;
  bool operator==(const TokenRequest&) const = default;
};
struct TokenGrant {
  std::uint64_t request_id = 0;
  std::uint64_t epoch = 0;  // how many grants the coordinator has made (1, 2, ...)
  bool operator==(const TokenGrant&) const = default;
};
struct TokenRelease {
  std::uint64_t epoch = 0;
  bool operator==(const TokenRelease&) const = default;
};

// --- cache traffic over the ring (core/cache.hpp) ---
struct CacheGet {
  std::uint32_t key = 0;  // index of the ring's sample key
  std::uint64_t request_id = 0;
  bool operator==(const CacheGet&) const = default;
};
struct CacheReply {
  std::uint32_t key = 0;
  std::uint64_t request_id = 0;
  bool hit = false;  // the server had the key (it served it before); a miss means a cold fetch
  bool operator==(const CacheReply&) const = default;
};

using Payload = std::variant<TokenRequest, TokenGrant, TokenRelease, CacheGet, CacheReply,
                             // Raft (core/raft/raft_types.hpp)
                             RaftRequestVote, RaftVoteReply, RaftAppendEntries, RaftAppendReply, RaftClientRequest,
                             RaftClientReply>;

// Short type name ("TokenGrant") and one-line detail ("epoch=3 req=7") of a payload.
const char* payload_name(const Payload& payload);
std::string payload_detail(const Payload& payload);
// The two leading integer fields of a payload, recorded in the structured trace.
std::pair<std::int64_t, std::int64_t> payload_fields(const Payload& payload);

struct Message {
  std::uint64_t id = 0;  // unique per world, in send order; duplicates get their own id
  NodeId from = kNoNode;
  NodeId to = kNoNode;
  SimTimeUs sent_us = 0;
  SimTimeUs deliver_us = 0;
  std::uint64_t duplicate_of = 0;  // 0, or the id of the message this one duplicates
  DropReason fate = DropReason::none;  // decided at send (loss, cut, partition): it flies, then dies
  Payload payload;
  bool operator==(const Message&) const = default;
};

}  // namespace dsplay
