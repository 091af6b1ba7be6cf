// Message payloads of every protocol in core/, as one closed std::variant so that a world stays
// a plain copyable, comparable value. Each payload describes itself for the trace and the UI.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <variant>

#include "core/network.hpp"
#include "core/raft/raft_types.hpp"
#include "core/sim_time.hpp"

namespace dsplay {

using PayloadFields = std::pair<std::int64_t, std::int64_t>;
inline std::int64_t as_field(std::uint64_t v) { return static_cast<std::int64_t>(v); }

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

// --- token lock coordinator re-election (core/locks/token_lock.hpp, token_lock.reelection) ---
struct TokenHeartbeat {  // the coordinator to its standbys: I am coordinator in `term`
  static constexpr const char* kName = "TokenHeartbeat";
  std::uint64_t term = 0;
  SimTimeUs sent_mono_us = 0;  // on the coordinator's monotonic clock; echoed by the ack
  std::string detail() const { return "term=" + std::to_string(term); }
  PayloadFields fields() const { return {as_field(term), sent_mono_us}; }
  bool operator==(const TokenHeartbeat&) const = default;
};
struct TokenHeartbeatAck {  // a standby promises not to elect anyone for one election timeout
  static constexpr const char* kName = "TokenHeartbeatAck";
  std::uint64_t term = 0;
  SimTimeUs sent_mono_us = 0;  // the heartbeat's
  std::string detail() const { return "term=" + std::to_string(term); }
  PayloadFields fields() const { return {as_field(term), sent_mono_us}; }
  bool operator==(const TokenHeartbeatAck&) const = default;
};
struct TokenElection {  // bully: a candidate to every coordinator node, "vote for me in `term`"
  static constexpr const char* kName = "TokenElection";
  std::uint64_t term = 0;
  std::string detail() const { return "term=" + std::to_string(term); }
  PayloadFields fields() const { return {as_field(term), 0}; }
  bool operator==(const TokenElection&) const = default;
};
struct TokenVote {
  static constexpr const char* kName = "TokenVote";
  std::uint64_t term = 0;
  bool granted = false;  // refused: the voter has a live coordinator, a higher id, or voted in this term
  std::string detail() const { return "term=" + std::to_string(term) + (granted ? " granted" : " refused"); }
  PayloadFields fields() const { return {as_field(term), granted ? 1 : 0}; }
  bool operator==(const TokenVote&) const = default;
};
struct TokenRedirect {  // a standby to a client: the coordinator is `coordinator` (kNoNode: not known)
  static constexpr const char* kName = "TokenRedirect";
  std::uint64_t term = 0;
  NodeId coordinator = kNoNode;
  std::string detail() const { return "term=" + std::to_string(term) + " coordinator=n" + std::to_string(coordinator); }
  PayloadFields fields() const { return {as_field(term), as_field(coordinator)}; }
  bool operator==(const TokenRedirect&) const = default;
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

// --- the protected resource (core/locks/storage.hpp) ---
struct StorageWrite {
  static constexpr const char* kName = "Write";
  std::uint64_t entry = 0;  // the writer's critical-section number (also its write id)
  std::uint64_t token = 0;  // fencing token (0: none)
  std::string detail() const { return "token=" + std::to_string(token) + " cs#" + std::to_string(entry); }
  PayloadFields fields() const { return {as_field(token), as_field(entry)}; }
  bool operator==(const StorageWrite&) const = default;
};
struct StorageAck {
  static constexpr const char* kName = "WriteAck";
  std::uint64_t entry = 0;
  std::uint64_t token = 0;
  std::uint64_t highest = 0;  // highest token the storage had accepted
  bool accepted = false;
  std::string detail() const {
    return std::string(accepted ? "accepted" : "REJECTED") + " token=" + std::to_string(token) +
           (accepted ? "" : " < " + std::to_string(highest));
  }
  PayloadFields fields() const { return {as_field(token), accepted ? 1 : 0}; }
  bool operator==(const StorageAck&) const = default;
};

// --- ticket lock (core/locks/ticket_lock.hpp) ---
struct TicketRequest {
  static constexpr const char* kName = "TicketRequest";
  std::uint64_t request_id = 0;
  std::string detail() const { return "req=" + std::to_string(request_id); }
  PayloadFields fields() const { return {as_field(request_id), 0}; }
  bool operator==(const TicketRequest&) const = default;
};
struct TicketIssued {
  static constexpr const char* kName = "TicketIssued";
  std::uint64_t request_id = 0;
  std::uint64_t ticket = 0;
  std::uint64_t serving = 0;  // the ticket being served now (0: none)
  std::string detail() const { return "ticket=" + std::to_string(ticket) + " serving=" + std::to_string(serving); }
  PayloadFields fields() const { return {as_field(ticket), as_field(serving)}; }
  bool operator==(const TicketIssued&) const = default;
};
struct TicketGrant {
  static constexpr const char* kName = "TicketGrant";
  std::uint64_t ticket = 0;
  std::uint64_t request_id = 0;  // the request that took this ticket
  std::string detail() const { return "ticket=" + std::to_string(ticket) + " req=" + std::to_string(request_id); }
  PayloadFields fields() const { return {as_field(ticket), as_field(request_id)}; }
  bool operator==(const TicketGrant&) const = default;
};
struct TicketRelease {
  static constexpr const char* kName = "TicketRelease";
  std::uint64_t ticket = 0;
  std::string detail() const { return "ticket=" + std::to_string(ticket); }
  PayloadFields fields() const { return {as_field(ticket), 0}; }
  bool operator==(const TicketRelease&) const = default;
};

// --- queue lock over a ZooKeeper-style coordination service (core/locks/queue_lock.hpp) ---
enum class ZkOp : std::uint8_t { connect, ping, create, children, exists, remove };
const char* zk_op_name(ZkOp op);
struct ZkConnect {
  static constexpr const char* kName = "ZkConnect";
  std::uint64_t request_id = 0;
  std::string detail() const { return "open a session"; }
  PayloadFields fields() const { return {as_field(request_id), 0}; }
  bool operator==(const ZkConnect&) const = default;
};
struct ZkPing {
  static constexpr const char* kName = "ZkPing";
  std::uint64_t request_id = 0;
  std::uint64_t session = 0;
  std::string detail() const { return "session " + std::to_string(session); }
  PayloadFields fields() const { return {as_field(session), 0}; }
  bool operator==(const ZkPing&) const = default;
};
struct ZkCreate {  // create /lock/entry- as an ephemeral sequential node of the session
  static constexpr const char* kName = "ZkCreate";
  std::uint64_t request_id = 0;
  std::uint64_t session = 0;
  std::string detail() const { return "/lock/entry- ephemeral sequential, session " + std::to_string(session); }
  PayloadFields fields() const { return {as_field(session), 0}; }
  bool operator==(const ZkCreate&) const = default;
};
struct ZkGetChildren {  // list /lock; the reply names the lowest entry and the one before `seq`
  static constexpr const char* kName = "ZkGetChildren";
  std::uint64_t request_id = 0;
  std::uint64_t session = 0;
  std::uint64_t seq = 0;  // the caller's own entry (to find its predecessor)
  bool watch = false;     // leave a child watch: any change to /lock notifies the caller once
  std::string detail() const { return std::string("/lock") + (watch ? " + watch children" : ""); }
  PayloadFields fields() const { return {as_field(seq), watch ? 1 : 0}; }
  bool operator==(const ZkGetChildren&) const = default;
};
struct ZkExists {  // does entry seq exist? with watch: notify the caller once when it is deleted
  static constexpr const char* kName = "ZkExists";
  std::uint64_t request_id = 0;
  std::uint64_t session = 0;
  std::uint64_t seq = 0;
  bool watch = true;
  std::string detail() const { return "entry " + std::to_string(seq) + (watch ? " + watch" : ""); }
  PayloadFields fields() const { return {as_field(seq), watch ? 1 : 0}; }
  bool operator==(const ZkExists&) const = default;
};
struct ZkDelete {
  static constexpr const char* kName = "ZkDelete";
  std::uint64_t request_id = 0;
  std::uint64_t session = 0;
  std::uint64_t seq = 0;
  std::string detail() const { return "entry " + std::to_string(seq); }
  PayloadFields fields() const { return {as_field(seq), 0}; }
  bool operator==(const ZkDelete&) const = default;
};
struct ZkReply {
  static constexpr const char* kName = "ZkReply";
  ZkOp op = ZkOp::connect;  // which request this answers
  std::uint64_t request_id = 0;
  std::uint64_t session = 0;
  bool ok = true;          // false: no such session (it expired) / no such entry
  std::uint64_t a = 0;     // connect: session; create: seq; children and ping: lowest; exists: 1/0
  std::uint64_t b = 0;     // children: predecessor of the caller's seq (0: none); count in c
  std::uint64_t c = 0;     // children: number of entries
  std::string detail() const;
  PayloadFields fields() const { return {as_field(a), as_field(b)}; }
  bool operator==(const ZkReply&) const = default;
};
struct ZkWatchEvent {  // a watch fired: the client wakes up and looks again
  static constexpr const char* kName = "ZkWatchEvent";
  std::uint64_t seq = 0;     // the entry created or deleted
  bool deleted = true;       // false: created
  bool child_watch = false;  // fired a child watch (herd) rather than an exists watch (predecessor)
  std::string detail() const { return std::string(deleted ? "deleted " : "created ") + "entry " + std::to_string(seq); }
  PayloadFields fields() const { return {as_field(seq), deleted ? 1 : 0}; }
  bool operator==(const ZkWatchEvent&) const = default;
};

// --- a Redis server's commands on the key "lock" (core/locks/redis.hpp) ---
struct RedisSetNx {  // SETNX lock value
  static constexpr const char* kName = "SETNX";
  std::uint64_t request_id = 0;
  std::uint64_t value = 0;
  std::string detail() const { return "SETNX lock " + std::to_string(value); }
  PayloadFields fields() const { return {as_field(value), 0}; }
  bool operator==(const RedisSetNx&) const = default;
};
struct RedisExpire {  // EXPIRE lock ttl
  static constexpr const char* kName = "EXPIRE";
  std::uint64_t request_id = 0;
  SimTimeUs ttl_us = 0;
  std::string detail() const { return "EXPIRE lock " + format_duration(ttl_us); }
  PayloadFields fields() const { return {ttl_us, 0}; }
  bool operator==(const RedisExpire&) const = default;
};
struct RedisSet {  // SET lock value NX PX ttl
  static constexpr const char* kName = "SET NX PX";
  std::uint64_t request_id = 0;
  std::uint64_t value = 0;
  SimTimeUs ttl_us = 0;
  std::string detail() const { return "SET lock " + std::to_string(value) + " NX PX " + format_duration(ttl_us); }
  PayloadFields fields() const { return {as_field(value), ttl_us}; }
  bool operator==(const RedisSet&) const = default;
};
struct RedisSetFenced {  // script: SET lock value NX PX ttl, and if it was set, INCR fence (the token)
  static constexpr const char* kName = "SET NX PX+INCR";
  std::uint64_t request_id = 0;
  std::uint64_t value = 0;
  SimTimeUs ttl_us = 0;
  std::string detail() const {
    return "EVAL: SET lock " + std::to_string(value) + " NX PX " + format_duration(ttl_us) + "; INCR fence";
  }
  PayloadFields fields() const { return {as_field(value), ttl_us}; }
  bool operator==(const RedisSetFenced&) const = default;
};
struct RedisGet {
  static constexpr const char* kName = "GET";
  std::uint64_t request_id = 0;
  std::string detail() const { return "GET lock"; }
  PayloadFields fields() const { return {as_field(request_id), 0}; }
  bool operator==(const RedisGet&) const = default;
};
struct RedisDel {  // DEL lock: whoever's it is
  static constexpr const char* kName = "DEL";
  std::uint64_t request_id = 0;
  std::string detail() const { return "DEL lock"; }
  PayloadFields fields() const { return {as_field(request_id), 0}; }
  bool operator==(const RedisDel&) const = default;
};
struct RedisDelIfEqual {  // script: if GET lock == value then DEL lock (compare-and-delete)
  static constexpr const char* kName = "DEL IF =";
  std::uint64_t request_id = 0;
  std::uint64_t value = 0;
  std::string detail() const { return "EVAL: if GET lock == " + std::to_string(value) + " then DEL lock"; }
  PayloadFields fields() const { return {as_field(value), 0}; }
  bool operator==(const RedisDelIfEqual&) const = default;
};
struct RedisReply {
  static constexpr const char* kName = "RedisReply";
  std::uint64_t request_id = 0;
  std::int64_t result = 0;   // 1 OK / set / deleted; 0 nil / not set; GET: the value
  std::uint64_t token = 0;   // SET NX PX+INCR: the fencing token
  std::string detail() const {
    return (result == 0 ? std::string("(nil)/0") : std::string("OK/") + std::to_string(result)) +
           (token ? " token=" + std::to_string(token) : "");
  }
  PayloadFields fields() const { return {result, as_field(token)}; }
  bool operator==(const RedisReply&) const = default;
};

using Payload = std::variant<TokenRequest, TokenGrant, TokenRelease, CacheGet, CacheReply,
                             // Raft (core/raft/raft_types.hpp)
                             RaftRequestVote, RaftVoteReply, RaftAppendEntries, RaftAppendReply, RaftClientRequest,
                             RaftClientReply,
                             // the lock family (core/locks/): these describe themselves (kName, detail(), fields())
                             StorageWrite, StorageAck,                                  //
                             TicketRequest, TicketIssued, TicketGrant, TicketRelease,   //
                             ZkConnect, ZkPing, ZkCreate, ZkGetChildren, ZkExists, ZkDelete, ZkReply, ZkWatchEvent,
                             RedisSetNx, RedisExpire, RedisSet, RedisSetFenced, RedisGet, RedisDel, RedisDelIfEqual,
                             RedisReply,
                             // token lock re-election (core/locks/token_lock.hpp)
                             TokenHeartbeat, TokenHeartbeatAck, TokenElection, TokenVote, TokenRedirect>;

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
