// Names and one-line details of message payloads, for the trace and the UI.
#include "core/message.hpp"
#include "core/overloaded.hpp"

namespace dsplay {
namespace {

std::pair<std::int64_t, std::int64_t> fields(std::uint64_t a, std::uint64_t b) {
  return {static_cast<std::int64_t>(a), static_cast<std::int64_t>(b)};
}
}  // namespace

const char* payload_name(const Payload& payload) {
  return std::visit(Overloaded{
                        [](const TokenRequest&) { return "TokenRequest"; },
                        [](const TokenGrant&) { return "TokenGrant"; },
                        [](const TokenRelease&) { return "TokenRelease"; },
                        [](const CacheGet&) { return "CacheGet"; },
                        [](const CacheReply&) { return "CacheReply"; },
                        [](const RaftRequestVote&) { return "RequestVote"; },
                        [](const RaftVoteReply&) { return "VoteReply"; },
                        [](const RaftAppendEntries&) { return "AppendEntries"; },
                        [](const RaftAppendReply&) { return "AppendReply"; },
                        [](const RaftClientRequest&) { return "ClientRequest"; },
                        [](const RaftClientReply&) { return "ClientReply"; },
                        // the lock family names itself
                        [](const auto& p) -> const char* { return p.kName; },
                    },
                    payload);
}

std::string payload_detail(const Payload& payload) {
  return std::visit(
      Overloaded{
          [](const TokenRequest& p) { return "req=" + std::to_string(p.request_id); },
          [](const TokenGrant& p) {
            return "epoch=" + std::to_string(p.epoch) + " req=" + std::to_string(p.request_id);
          },
          [](const TokenRelease& p) { return "epoch=" + std::to_string(p.epoch); },
          [](const CacheGet& p) { return "key-" + std::to_string(p.key) + " req=" + std::to_string(p.request_id); },
          [](const CacheReply& p) {
            return "key-" + std::to_string(p.key) + (p.hit ? " hit" : " miss");
          },
          [](const RaftRequestVote& p) {
            return "term=" + std::to_string(p.term) + " last log " + std::to_string(p.last_log_index) + "/t" +
                   std::to_string(p.last_log_term);
          },
          [](const RaftVoteReply& p) { return "term=" + std::to_string(p.term) + (p.granted ? " granted" : " refused"); },
          [](const RaftAppendEntries& p) {
            std::string out = "term=" + std::to_string(p.term) + " prev " + std::to_string(p.prev_log_index) + "/t" +
                              std::to_string(p.prev_log_term) + " commit=" + std::to_string(p.leader_commit);
            if (p.entries.empty()) return out + " (heartbeat)";
            out += " entries " + std::to_string(p.prev_log_index + 1) + ".." + std::to_string(p.prev_log_index + p.entries.size()) + " [";
            for (std::size_t i = 0; i < p.entries.size() && i < 4; ++i)
              out += (i ? " " : "") + std::string(raft_op_name(p.entries[i].command.op)) + "/t" + std::to_string(p.entries[i].term);
            return out + (p.entries.size() > 4 ? " ...]" : "]");
          },
          [](const RaftAppendReply& p) {
            return "term=" + std::to_string(p.term) + (p.success ? " ok, match=" : " rejected, last index=") +
                   std::to_string(p.match_index);
          },
          [](const RaftClientRequest& p) {
            std::string out = std::string(raft_op_name(p.command.op)) + " req=" + std::to_string(p.request_id);
            if (p.command.session != 0) out += " session=" + std::to_string(p.command.session);
            if (p.command.op == RaftOp::acquire || p.command.op == RaftOp::release) out += " lock=" + std::to_string(p.command.arg);
            if (p.count > 1) out += " x" + std::to_string(p.count);
            return out;
          },
          [](const RaftClientReply& p) {
            std::string out = std::string(raft_client_status_name(p.status)) + " req=" + std::to_string(p.request_id);
            if (p.status == RaftClientStatus::not_leader)
              out += p.leader_hint == kNoNode ? " (leader unknown)" : " (leader: node " + std::to_string(p.leader_hint) + ")";
            else if (p.value != 0) out += " value=" + std::to_string(p.value);
            return out;
          },
          [](const auto& p) -> std::string { return p.detail(); },
      },
      payload);
}

std::pair<std::int64_t, std::int64_t> payload_fields(const Payload& payload) {
  return std::visit(
      Overloaded{
          [](const TokenRequest& p) { return std::pair<std::int64_t, std::int64_t>(static_cast<std::int64_t>(p.request_id), 0); },
          [](const TokenGrant& p) {
            return std::pair<std::int64_t, std::int64_t>(static_cast<std::int64_t>(p.epoch), static_cast<std::int64_t>(p.request_id));
          },
          [](const TokenRelease& p) { return std::pair<std::int64_t, std::int64_t>(static_cast<std::int64_t>(p.epoch), 0); },
          [](const CacheGet& p) { return std::pair<std::int64_t, std::int64_t>(p.key, static_cast<std::int64_t>(p.request_id)); },
          [](const CacheReply& p) { return std::pair<std::int64_t, std::int64_t>(p.key, p.hit ? 1 : 0); },
          [](const RaftRequestVote& p) { return fields(p.term, p.last_log_index); },
          [](const RaftVoteReply& p) { return fields(p.term, p.granted ? 1 : 0); },
          [](const RaftAppendEntries& p) { return fields(p.term, p.entries.size()); },
          [](const RaftAppendReply& p) { return fields(p.term, p.success ? p.match_index : 0); },
          [](const RaftClientRequest& p) { return fields(p.request_id, static_cast<std::uint64_t>(p.command.op)); },
          [](const RaftClientReply& p) { return fields(p.request_id, static_cast<std::uint64_t>(p.status)); },
          [](const auto& p) -> std::pair<std::int64_t, std::int64_t> { return p.fields(); },
      },
      payload);
}

const char* zk_op_name(ZkOp op) {
  switch (op) {
    case ZkOp::connect: return "connect";
    case ZkOp::ping: return "ping";
    case ZkOp::create: return "create";
    case ZkOp::children: return "children";
    case ZkOp::exists: return "exists";
    case ZkOp::remove: return "delete";
  }
  return "?";
}

std::string ZkReply::detail() const {
  std::string out = std::string(zk_op_name(op)) + ": ";
  if (!ok) return out + (op == ZkOp::remove || op == ZkOp::exists ? "no such entry" : "session expired");
  switch (op) {
    case ZkOp::connect: return out + "session " + std::to_string(a);
    case ZkOp::ping: return out + "pong, lowest entry " + std::to_string(a);
    case ZkOp::create: return out + "entry " + std::to_string(a);
    case ZkOp::children:
      return out + std::to_string(c) + " entries, lowest " + std::to_string(a) +
             (b ? ", before yours: " + std::to_string(b) : ", none before yours");
    case ZkOp::exists: return out + (a ? "exists" : "gone");
    case ZkOp::remove: return out + "deleted";
  }
  return out;
}

}  // namespace dsplay
