// A Raft client: redirects, retries, sessions, leases, and the lock family's critical-section
// program on the consensus lock (see raft_client.hpp).
#include "core/raft/raft_client.hpp"

#include <algorithm>

#include "core/raft/raft_node.hpp"
#include "core/world.hpp"

namespace dsplay {

CsProgram RaftClient::program() const {
  const bool automatic = config_.client_mode == RaftClientMode::lock;
  return {config_.hold_us, config_.think_us, config_.client_retry_us, automatic, automatic, true};
}

void RaftClient::on_start(ProcessContext& ctx) {
  servers_ = raft_members(ctx.world());
  if (servers_.empty()) {
    ctx.note("raft client: no raft servers");
    return;
  }
  target_index_ = static_cast<std::size_t>(ctx.random_below(servers_.size()));
  target_ = servers_[target_index_];
  if (config_.client_mode == RaftClientMode::put) ctx.set_timer(ctx.random_between(1, config_.put_interval_us), kPutTimer);
  else send_next(ctx);  // opens a session
}

void RaftClient::on_crash() {
  program_crash();
  target_ = kNoNode;
  outstanding_ = false;
  request_ = {};
  request_last_id_ = 0;
  request_first_sent_mono_us_ = 0;
  retry_timer_ = keepalive_timer_ = 0;
  put_backlog_ = 0;
  session_ = 0;
  session_lease_until_mono_us_ = 0;
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
  request_first_sent_mono_us_ = ctx.monotonic_now_us();
  send_outstanding(ctx);
}

// One request at a time: what goes next follows from the session and the lock program's phase.
void RaftClient::send_next(ProcessContext& ctx) {
  if (outstanding_ || servers_.empty()) return;
  if (config_.client_mode == RaftClientMode::put) {
    if (put_backlog_ > 0) send_puts(ctx);
    return;
  }
  if (session_ == 0) issue(ctx, RaftCommand{RaftOp::session_open, true, kNoNode, 0, 0, 0});
  else if (phase() == LockPhase::acquiring) issue(ctx, lock_command(RaftOp::acquire));
  else if (phase() == LockPhase::releasing) issue(ctx, lock_command(RaftOp::release));
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

void RaftClient::begin_acquire(ProcessContext& ctx) { send_next(ctx); }  // after the request in flight, if any

void RaftClient::release_lock(ProcessContext& ctx) {
  if (session_ == 0) return;  // the session is gone, and the lock with it
  set_phase(LockPhase::releasing);
  send_next(ctx);
}

// The lease starts when the confirmed request was first sent: the service heard of the session
// no earlier than that, so it cannot expire the session before lease start + TTL.
void RaftClient::confirm_session(ProcessContext& ctx) {
  session_lease_until_mono_us_ =
      std::max(session_lease_until_mono_us_, request_first_sent_mono_us_ + config_.session_ttl_us * 3 / 4);
  extend_lease(ctx, session_lease_until_mono_us_);  // a holder's lease moves with it
}

void RaftClient::lose_session(ProcessContext& ctx) {
  ctx.note("raft client: session gone", kNoNode, static_cast<std::int64_t>(session_));
  session_ = 0;
  session_lease_until_mono_us_ = 0;
  lost(ctx);      // a holder stops at once (no release: the lock went with the session)
  released(ctx);  // a release in flight has nothing left to release
}

void RaftClient::on_message(ProcessContext& ctx, const Message& message) {
  if (program_message(ctx, message)) return;  // the storage node's answer
  if (const auto* reply = std::get_if<RaftClientReply>(&message.payload)) handle_reply(ctx, message.from, *reply);
}

void RaftClient::handle_reply(ProcessContext& ctx, NodeId from, const RaftClientReply& reply) {
  if (!outstanding_ || reply.request_id != request_last_id_) return;  // an old answer (retries, duplicates)
  if (reply.status == RaftClientStatus::not_leader) {
    if (from != target_) return;  // a stale redirect from a server we already left
    const auto hint = std::find(servers_.begin(), servers_.end(), reply.leader_hint);
    if (hint != servers_.end() && reply.leader_hint != target_) {
      ++redirects_;
      target_index_ = static_cast<std::size_t>(hint - servers_.begin());
      target_ = reply.leader_hint;
      send_outstanding(ctx);
    } else {
      next_server();  // nobody knows a leader yet: try the next server a little later
      arm_retry(ctx, std::max<SimTimeUs>(config_.client_retry_us / 4, 1));
    }
    return;
  }
  // The server that answered leads (or led): keep talking to it.
  if (const auto it = std::find(servers_.begin(), servers_.end(), from); it != servers_.end()) {
    target_index_ = static_cast<std::size_t>(it - servers_.begin());
    target_ = from;
  }
  outstanding_ = false;
  if (retry_timer_ != 0) ctx.cancel_timer(retry_timer_);
  retry_timer_ = 0;
  const RaftOp op = request_.command.op;
  if (reply.status == RaftClientStatus::no_session && op != RaftOp::put && op != RaftOp::session_open) {
    lose_session(ctx);
    send_next(ctx);
    return;
  }
  switch (op) {
    case RaftOp::session_open:
      session_ = reply.value;
      confirm_session(ctx);
      ctx.note("raft client: session opened", from, static_cast<std::int64_t>(session_));
      if (keepalive_timer_ == 0) keepalive_timer_ = ctx.set_timer(config_.keepalive_us, kKeepaliveTimer);
      if (phase() == LockPhase::idle) think(ctx);
      break;
    case RaftOp::keepalive:
      confirm_session(ctx);
      break;
    case RaftOp::acquire:
      if (phase() != LockPhase::acquiring) break;
      if (reply.status == RaftClientStatus::busy) {
        acquire_failed(ctx);  // think, then ask again
        break;
      }
      confirm_session(ctx);
      if (ctx.monotonic_now_us() >= session_lease_until_mono_us_) {
        // Granted, but too late to trust: our lease ran out while we waited. Give it back.
        ctx.note("raft client: grant came after the lease, releasing", from, static_cast<std::int64_t>(reply.value));
        set_phase(LockPhase::releasing);
        break;
      }
      entered(ctx, reply.value, session_lease_until_mono_us_, true);  // token = the acquire entry's log index
      break;
    case RaftOp::release:
      confirm_session(ctx);
      released(ctx);
      break;
    case RaftOp::put:
      puts_acked_ += request_.count;
      break;
    default:
      break;
  }
  send_next(ctx);
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
    case kKeepaliveTimer:
      keepalive_timer_ = 0;
      if (session_ == 0) return;  // a new session starts its own keep-alives
      if (!outstanding_) issue(ctx, RaftCommand{RaftOp::keepalive, true, kNoNode, 0, session_, 0});
      keepalive_timer_ = ctx.set_timer(config_.keepalive_us, kKeepaliveTimer);
      return;
    case kPutTimer:
      // Puts are due at a steady rate; while a request is out they pile up and go in the next one.
      put_backlog_ = std::min<std::uint32_t>(put_backlog_ + std::max<std::uint32_t>(config_.put_batch, 1), 1000);
      send_next(ctx);
      ctx.set_timer(config_.put_interval_us, kPutTimer);
      return;
    default:
      program_timer(ctx, kind);  // think, work, write retry, lease
      return;
  }
}

bool RaftClient::on_client_op(ProcessContext& ctx, const std::string& op, std::int64_t arg, std::string& error) {
  if (servers_.empty()) return error = "there are no raft servers", false;
  if (op == "put") {
    if (outstanding_) return error = "still waiting for the answer to request " + std::to_string(request_last_id_), false;
    issue(ctx, RaftCommand{RaftOp::put, true, kNoNode, 0, 0, arg});
    return true;
  }
  if (op == "acquire" && session_ == 0) return error = "no session yet", false;
  if (program_op(ctx, op, error)) return true;
  if (op != "acquire" && op != "write" && op != "release")
    error = "raft clients take \"acquire\", \"write\", \"release\" or \"put\", not \"" + op + "\"";
  return false;
}

NodeActivity RaftClient::activity() const {
  if (config_.client_mode == RaftClientMode::put) return outstanding_ ? NodeActivity::waiting : NodeActivity::idle;
  if (session_ == 0) return NodeActivity::waiting;
  return LockClientBase::activity();
}

std::string RaftClient::status() const {
  std::string out;
  if (holds()) out = "HOLDS the lock (token " + std::to_string(token()) + ")" + (phase() == LockPhase::writing ? ", writing" : "");
  else if (config_.client_mode == RaftClientMode::put) out = "sending puts";
  else if (session_ == 0) out = "opening a session";
  else out = lock_phase_name(phase());
  if (outstanding_) out += ", asking node " + std::to_string(target_);
  return out;
}

Inspection RaftClient::inspect() const {
  Inspection out = program_inspection();
  out.push_back({"mode", raft_client_mode_name(config_.client_mode)});
  out.push_back({"session", session_ == 0 ? "-" : std::to_string(session_)});
  out.push_back({"next request id (durable)", std::to_string(next_request_id_)});
  out.push_back({"asking", target_ == kNoNode ? "-" : "node " + std::to_string(target_)});
  out.push_back({"puts acknowledged", std::to_string(puts_acked_)});
  out.push_back({"redirects followed", std::to_string(redirects_)});
  out.push_back({"retries (timeouts)", std::to_string(retries_)});
  return out;
}

void RaftClient::hash_into(Hasher& h) const {
  hash_program(h);
  h.u64(next_request_id_).u64(target_index_).u64(target_).boolean(outstanding_);
  h.u64(request_.request_id).u64(static_cast<std::uint64_t>(request_.command.op)).i64(request_.command.arg).u64(request_.count);
  h.u64(request_last_id_).i64(request_first_sent_mono_us_).u64(retry_timer_).u64(session_).i64(session_lease_until_mono_us_);
  h.u64(keepalive_timer_).u64(put_backlog_).u64(puts_acked_).u64(redirects_).u64(retries_);
}

}  // namespace dsplay
