// A Raft client: redirects, retries, sessions, leases and the lock loop (see raft_client.hpp).
#include "core/raft/raft_client.hpp"

#include <algorithm>

#include "core/raft/raft_node.hpp"
#include "core/world.hpp"

namespace dsplay {

const char* raft_client_phase_name(RaftClient::Phase phase) {
  switch (phase) {
    case RaftClient::Phase::idle: return "idle";
    case RaftClient::Phase::opening: return "opening a session";
    case RaftClient::Phase::thinking: return "thinking";
    case RaftClient::Phase::acquiring: return "acquiring";
    case RaftClient::Phase::holding: return "holding";
    case RaftClient::Phase::releasing: return "releasing";
  }
  return "?";
}

void RaftClient::on_start(ProcessContext& ctx) {
  servers_ = raft_members(ctx.world());
  if (servers_.empty()) {
    ctx.note("raft client: no raft servers");
    return;
  }
  target_index_ = static_cast<std::size_t>(ctx.random_below(servers_.size()));
  target_ = servers_[target_index_];
  phase_ = Phase::idle;
  if (config_.client_mode == RaftClientMode::put) {
    ctx.set_timer(ctx.random_between(1, config_.put_interval_us), kPutTimer);
  } else {
    phase_ = Phase::opening;
    issue(ctx, RaftCommand{RaftOp::session_open, true, kNoNode, 0, 0, 0});
  }
}

void RaftClient::on_crash() {
  phase_ = Phase::idle;
  target_ = kNoNode;
  outstanding_ = false;
  request_ = {};
  request_last_id_ = 0;
  request_first_sent_local_us_ = 0;
  retry_timer_ = lease_timer_ = hold_timer_ = keepalive_timer_ = 0;
  put_backlog_ = 0;
  session_ = 0;
  lease_until_local_us_ = 0;
  holding_ = false;
  lock_ = 0;
  token_ = 0;
}

void RaftClient::next_server() {
  if (servers_.empty()) return;
  target_index_ = (target_index_ + 1) % servers_.size();
  target_ = servers_[target_index_];
}

void RaftClient::issue(ProcessContext& ctx, const RaftCommand& command, std::uint32_t count) {
  if (servers_.empty()) return;
  request_ = RaftClientRequest{next_request_id_, command, count};
  request_last_id_ = next_request_id_ + count - 1;
  next_request_id_ += count;
  outstanding_ = true;
  request_first_sent_local_us_ = ctx.local_now_us();
  send_outstanding(ctx);
}

void RaftClient::send_puts(ProcessContext& ctx) {
  const std::uint32_t count = put_backlog_;
  put_backlog_ = 0;
  issue(ctx, RaftCommand{RaftOp::put, true, kNoNode, 0, 0, 1}, count);
}

void RaftClient::send_outstanding(ProcessContext& ctx) {
  ctx.send(target_, request_);
  arm_retry(ctx, config_.client_retry_us);
}

void RaftClient::arm_retry(ProcessContext& ctx, SimTimeUs delay_us) {
  if (retry_timer_ != 0) ctx.cancel_timer(retry_timer_);
  retry_timer_ = ctx.set_timer(delay_us, kRetryTimer);
}

void RaftClient::think(ProcessContext& ctx) {
  phase_ = config_.client_mode == RaftClientMode::lock ? Phase::thinking : Phase::idle;
  if (config_.client_mode == RaftClientMode::lock)
    ctx.set_timer(ctx.random_between(config_.think_us / 2, config_.think_us * 3 / 2), kThinkTimer);
}

// The lease starts when the confirmed request was first sent: the service heard of the session
// no earlier than that, so it cannot expire the session before lease start + TTL.
void RaftClient::extend_lease(ProcessContext& ctx) {
  lease_until_local_us_ = std::max(lease_until_local_us_, request_first_sent_local_us_ + config_.session_ttl_us * 3 / 4);
  if (lease_timer_ == 0 && lease_until_local_us_ > ctx.local_now_us())
    lease_timer_ = ctx.set_timer(lease_until_local_us_ - ctx.local_now_us(), kLeaseTimer);
}

void RaftClient::lose_session(ProcessContext& ctx, const char* why) {
  ctx.note(why, kNoNode, static_cast<std::int64_t>(session_));
  session_ = 0;
  lease_until_local_us_ = 0;
  holding_ = false;
  if (hold_timer_ != 0) ctx.cancel_timer(hold_timer_);
  hold_timer_ = 0;
  phase_ = Phase::opening;
  issue(ctx, RaftCommand{RaftOp::session_open, true, kNoNode, 0, 0, 0});
}

void RaftClient::on_message(ProcessContext& ctx, const Message& message) {
  if (const auto* reply = std::get_if<RaftClientReply>(&message.payload)) handle_reply(ctx, message.from, *reply);
}

void RaftClient::handle_reply(ProcessContext& ctx, NodeId from, const RaftClientReply& reply) {
  if (!outstanding_ || reply.request_id != request_last_id_) return;  // an old answer (retries, duplicates)
  if (reply.status == RaftClientStatus::not_leader) {
    if (from != target_) return;  // a stale redirect from a server we already left
    const bool known = std::find(servers_.begin(), servers_.end(), reply.leader_hint) != servers_.end();
    if (known && reply.leader_hint != target_) {
      ++redirects_;
      target_index_ = static_cast<std::size_t>(std::find(servers_.begin(), servers_.end(), reply.leader_hint) - servers_.begin());
      target_ = reply.leader_hint;
      send_outstanding(ctx);
    } else {
      next_server();  // nobody knows a leader yet: try the next server a little later
      arm_retry(ctx, std::max<SimTimeUs>(config_.client_retry_us / 4, 1));
    }
    return;
  }
  // The server that answered leads (or led): keep talking to it.
  if (std::find(servers_.begin(), servers_.end(), from) != servers_.end()) {
    target_index_ = static_cast<std::size_t>(std::find(servers_.begin(), servers_.end(), from) - servers_.begin());
    target_ = from;
  }
  outstanding_ = false;
  if (retry_timer_ != 0) ctx.cancel_timer(retry_timer_);
  retry_timer_ = 0;
  const RaftCommand& command = request_.command;
  if (reply.status == RaftClientStatus::no_session && command.op != RaftOp::put && command.op != RaftOp::session_open) {
    lose_session(ctx, "raft client: session gone");
    return;
  }
  switch (command.op) {
    case RaftOp::session_open:
      session_ = reply.value;
      extend_lease(ctx);
      ctx.note("raft client: session opened", from, static_cast<std::int64_t>(session_));
      if (keepalive_timer_ == 0) keepalive_timer_ = ctx.set_timer(config_.keepalive_us, kKeepaliveTimer);
      think(ctx);
      break;
    case RaftOp::keepalive:
      extend_lease(ctx);
      break;
    case RaftOp::acquire:
      if (reply.status == RaftClientStatus::busy) {
        think(ctx);
        break;
      }
      extend_lease(ctx);
      lock_ = command.arg;
      token_ = reply.value;
      if (ctx.local_now_us() >= lease_until_local_us_) {
        // Granted, but too late to trust: our lease ran out while we waited. Give it back.
        ctx.note("raft client: grant came after the lease, releasing", from, static_cast<std::int64_t>(token_));
        phase_ = Phase::releasing;
        issue(ctx, RaftCommand{RaftOp::release, true, kNoNode, 0, session_, lock_});
        break;
      }
      holding_ = true;
      ++acquisitions_;
      phase_ = Phase::holding;
      ctx.note("raft client: lock acquired", from, lock_, static_cast<std::int64_t>(token_));
      if (config_.client_mode == RaftClientMode::lock) hold_timer_ = ctx.set_timer(config_.hold_us, kHoldTimer);
      break;
    case RaftOp::release:
      extend_lease(ctx);
      think(ctx);
      break;
    case RaftOp::put:
      puts_acked_ += request_.count;
      if (put_backlog_ > 0) send_puts(ctx);
      break;
    default:
      break;
  }
}

void RaftClient::on_timer(ProcessContext& ctx, std::uint32_t kind) {
  switch (kind) {
    case kRetryTimer:
      retry_timer_ = 0;
      if (!outstanding_) return;
      ++retries_;
      next_server();
      send_outstanding(ctx);
      return;
    case kThinkTimer:
      if (phase_ != Phase::thinking || session_ == 0) return;
      if (outstanding_) {  // a keep-alive is on its way: try again shortly
        ctx.set_timer(config_.think_us / 4 + 1, kThinkTimer);
        return;
      }
      lock_ = static_cast<std::int64_t>(ctx.random_below(std::max<std::uint32_t>(config_.locks, 1)));
      phase_ = Phase::acquiring;
      issue(ctx, RaftCommand{RaftOp::acquire, true, kNoNode, 0, session_, lock_});
      return;
    case kHoldTimer:
      hold_timer_ = 0;
      if (!holding_) return;
      if (outstanding_) {  // finish the keep-alive first
        hold_timer_ = ctx.set_timer(config_.hold_us / 8 + 1, kHoldTimer);
        return;
      }
      holding_ = false;  // stop using the lock before asking to release it
      phase_ = Phase::releasing;
      ctx.note("raft client: releasing", kNoNode, lock_, static_cast<std::int64_t>(token_));
      issue(ctx, RaftCommand{RaftOp::release, true, kNoNode, 0, session_, lock_});
      return;
    case kKeepaliveTimer:
      keepalive_timer_ = 0;
      if (session_ == 0) return;  // a new session starts its own keep-alives
      if (!outstanding_) issue(ctx, RaftCommand{RaftOp::keepalive, true, kNoNode, 0, session_, 0});
      keepalive_timer_ = ctx.set_timer(config_.keepalive_us, kKeepaliveTimer);
      return;
    case kLeaseTimer: {
      lease_timer_ = 0;
      const SimTimeUs now = ctx.local_now_us();
      if (now < lease_until_local_us_) {
        lease_timer_ = ctx.set_timer(lease_until_local_us_ - now, kLeaseTimer);
        return;
      }
      if (holding_) {
        holding_ = false;
        ++leases_lost_;
        if (hold_timer_ != 0) ctx.cancel_timer(hold_timer_);
        hold_timer_ = 0;
        ctx.note("raft client: lease ran out, lock no longer trusted", kNoNode, lock_, static_cast<std::int64_t>(token_));
        if (!outstanding_) think(ctx);
      }
      return;
    }
    case kPutTimer:
      // Puts are due at a steady rate; while a request is out they pile up and go in the next one.
      put_backlog_ = std::min<std::uint32_t>(put_backlog_ + std::max<std::uint32_t>(config_.put_batch, 1), 1000);
      if (!outstanding_) send_puts(ctx);
      ctx.set_timer(config_.put_interval_us, kPutTimer);
      return;
    default:
      return;
  }
}

bool RaftClient::on_client_op(ProcessContext& ctx, const std::string& op, std::int64_t arg, std::string& error) {
  if (servers_.empty()) {
    error = "there are no raft servers";
    return false;
  }
  if (outstanding_) {
    error = "still waiting for the answer to request " + std::to_string(request_last_id_);
    return false;
  }
  if (op == "acquire") {
    if (session_ == 0) return error = "no session yet", false;
    if (holding_) return error = "already holds lock " + std::to_string(lock_), false;
    if (arg < 0 || arg >= LockTable::kMaxLocks) return error = "lock ids are 0 to 63", false;
    lock_ = arg;
    phase_ = Phase::acquiring;
    issue(ctx, RaftCommand{RaftOp::acquire, true, kNoNode, 0, session_, lock_});
    return true;
  }
  if (op == "release") {
    if (!holding_) return error = "holds no lock", false;
    holding_ = false;
    if (hold_timer_ != 0) ctx.cancel_timer(hold_timer_);
    hold_timer_ = 0;
    phase_ = Phase::releasing;
    issue(ctx, RaftCommand{RaftOp::release, true, kNoNode, 0, session_, lock_});
    return true;
  }
  if (op == "put") {
    issue(ctx, RaftCommand{RaftOp::put, true, kNoNode, 0, 0, arg});
    return true;
  }
  error = "raft clients take \"acquire\", \"release\" or \"put\", not \"" + op + "\"";
  return false;
}

NodeActivity RaftClient::activity() const {
  if (holding_) return NodeActivity::active;
  if (outstanding_ || phase_ == Phase::acquiring || phase_ == Phase::opening) return NodeActivity::waiting;
  return NodeActivity::idle;
}

std::string RaftClient::status() const {
  if (holding_) return "HOLDS lock " + std::to_string(lock_) + " (token " + std::to_string(token_) + ")";
  std::string out = raft_client_phase_name(phase_);
  if (phase_ == Phase::acquiring) out += " lock " + std::to_string(lock_);
  if (outstanding_) out += ", asking node " + std::to_string(target_);
  return out;
}

Inspection RaftClient::inspect() const {
  return {{"state", status()},
          {"mode", raft_client_mode_name(config_.client_mode)},
          {"session", session_ == 0 ? "-" : std::to_string(session_)},
          {"fencing token", token_ == 0 ? "-" : std::to_string(token_)},
          {"next request id (durable)", std::to_string(next_request_id_)},
          {"asking", target_ == kNoNode ? "-" : "node " + std::to_string(target_)},
          {"acquisitions", std::to_string(acquisitions_)},
          {"puts acknowledged", std::to_string(puts_acked_)},
          {"redirects followed", std::to_string(redirects_)},
          {"retries (timeouts)", std::to_string(retries_)},
          {"leases run out", std::to_string(leases_lost_)}};
}

void RaftClient::hash_into(Hasher& h) const {
  h.u64(next_request_id_).u64(static_cast<std::uint64_t>(phase_)).u64(target_index_).u64(target_).boolean(outstanding_);
  h.u64(request_.request_id).u64(static_cast<std::uint64_t>(request_.command.op)).i64(request_.command.arg).u64(request_.count);
  h.u64(request_last_id_).i64(request_first_sent_local_us_).u64(retry_timer_).u64(session_).i64(lease_until_local_us_);
  h.u64(lease_timer_).u64(hold_timer_).u64(keepalive_timer_).boolean(holding_).i64(lock_).u64(token_);
  h.u64(put_backlog_).u64(acquisitions_).u64(puts_acked_).u64(redirects_).u64(retries_).u64(leases_lost_);
}

}  // namespace dsplay
