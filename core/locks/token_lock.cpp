// Token-based lock: coordinator and client state machines (see token_lock.hpp).
#include "core/locks/token_lock.hpp"

#include <algorithm>
#include <functional>

#include "core/world.hpp"

namespace dsplay {

// ---------------------------------------------------------------- coordinator

void TokenCoordinator::on_start(ProcessContext& ctx) {
  if (config_.reelection == TokenReelection::off) {
    if (holder_ == kNoNode) ctx.note("token free");
    return;
  }
  // The highest-id coordinator node starts as coordinator (bully order); a restarted one stands by
  // and is elected back, if at all, through an election.
  const std::vector<NodeId> others = peers(ctx);
  const bool highest = others.empty() || others.back() < ctx.self();
  const bool first_start = ctx.world().nodes()[ctx.self()].crashes == 0;
  if (highest && first_start && term_ == 0 && epoch_ == 0) {
    role_ = Role::coordinator;
    leader_ = ctx.self();
    ctx.note("coordinator", kNoNode, static_cast<std::int64_t>(term_));
    send_heartbeats(ctx);
  } else {
    role_ = Role::standby;
    arm_election_timer(ctx);
  }
}

// ---------------------------------------------------------------- re-election

std::vector<NodeId> TokenCoordinator::peers(const ProcessContext& ctx) const {
  std::vector<NodeId> out;
  const auto& nodes = ctx.world().nodes();
  for (NodeId id = 0; id < nodes.size(); ++id)
    if (id != ctx.self() && nodes[id].role == NodeRole::token_coordinator && !nodes[id].removed) out.push_back(id);
  return out;
}

std::size_t TokenCoordinator::majority(const ProcessContext& ctx) const { return (peers(ctx).size() + 1) / 2 + 1; }

void TokenCoordinator::arm_election_timer(ProcessContext& ctx) {
  if (election_timer_ != 0) ctx.cancel_timer(election_timer_);
  // Bully order in the timeouts too: higher ids stand first (a smaller extra wait), so the node
  // that would win anyway usually starts the election. The jitter breaks ties after partitions.
  const std::vector<NodeId> others = peers(ctx);
  const auto higher = static_cast<SimTimeUs>(std::count_if(others.begin(), others.end(), [&](NodeId p) { return p > ctx.self(); }));
  const SimTimeUs wait_us = config_.election_timeout_us + higher * config_.heartbeat_us +
                            ctx.random_between(0, config_.heartbeat_us / 2);
  election_timer_ = ctx.set_timer(wait_us, kElection);
}

void TokenCoordinator::send_heartbeats(ProcessContext& ctx) {
  const SimTimeUs now_us = ctx.monotonic_now_us();
  for (NodeId p : peers(ctx)) ctx.send(p, TokenHeartbeat{term_, now_us});
  if (heartbeat_timer_ != 0) ctx.cancel_timer(heartbeat_timer_);
  heartbeat_timer_ = ctx.set_timer(config_.heartbeat_us, kHeartbeat);
}

// Fenced: grant only while a majority's promises (votes or heartbeat acks, counted from when we
// sent what they answered) keep every other node from electing anyone, and after the grace.
bool TokenCoordinator::may_grant(ProcessContext& ctx) const {
  if (config_.reelection == TokenReelection::off) return true;
  if (role_ != Role::coordinator) return false;
  if (config_.reelection == TokenReelection::naive) return true;
  const SimTimeUs now_us = ctx.monotonic_now_us();
  if (now_us < grace_until_mono_us_) return false;
  std::vector<SimTimeUs> sent;
  for (const auto& [peer, at_us] : acked_) sent.push_back(at_us);
  const std::size_t needed = majority(ctx) - 1;  // besides ourselves
  if (needed == 0) return true;
  if (sent.size() < needed) return false;
  std::sort(sent.begin(), sent.end(), std::greater<>());
  const SimTimeUs promise_us = config_.election_timeout_us - lease_drift_us(config_.election_timeout_us);
  return now_us < sent[needed - 1] + promise_us;
}

void TokenCoordinator::become_coordinator(ProcessContext& ctx) {
  role_ = Role::coordinator;
  leader_ = ctx.self();
  ++elections_won_;
  if (election_timer_ != 0) ctx.cancel_timer(election_timer_);
  election_timer_ = 0;
  // The token is regenerated: this node never saw the old holder or queue.
  holder_ = kNoNode;
  holder_request_ = 0;
  waiting_.clear();
  if (config_.reelection == TokenReelection::fenced) {
    epoch_ = term_ << 32;  // every token of this term is larger than every token of older terms
    grace_until_mono_us_ = ctx.monotonic_now_us() + config_.lease_us + lease_drift_us(config_.lease_us);
    ctx.set_timer(grace_until_mono_us_ - ctx.monotonic_now_us(), kGrace);
  }
  ctx.note("elected coordinator", kNoNode, static_cast<std::int64_t>(term_));
  send_heartbeats(ctx);
}

void TokenCoordinator::step_down(ProcessContext& ctx, std::uint64_t term, NodeId leader) {
  const bool was_coordinator = role_ == Role::coordinator;
  term_ = std::max(term_, term);
  leader_ = leader;
  if (role_ != Role::standby) {
    role_ = Role::standby;
    votes_.clear();
    acked_.clear();
    if (heartbeat_timer_ != 0) ctx.cancel_timer(heartbeat_timer_);
    heartbeat_timer_ = 0;
    take_back(ctx);
    waiting_.clear();
    if (was_coordinator) ctx.note("stepped down", leader, static_cast<std::int64_t>(term_));
  }
  arm_election_timer(ctx);
}

void TokenCoordinator::start_election(ProcessContext& ctx) {
  term_ = std::max(term_, voted_term_) + 1;
  voted_term_ = term_;  // our own vote
  role_ = Role::candidate;
  leader_ = kNoNode;
  votes_.clear();
  acked_.clear();
  ctx.note("election", kNoNode, static_cast<std::int64_t>(term_));
  const std::vector<NodeId> others = peers(ctx);
  for (NodeId p : others) ctx.send(p, TokenElection{term_});
  // Candidates wait one heartbeat period for refusals (bully: a higher live id answers) and votes.
  election_sent_mono_us_ = ctx.monotonic_now_us();
  if (election_timer_ != 0) ctx.cancel_timer(election_timer_);
  election_timer_ = ctx.set_timer(2 * config_.heartbeat_us, kElection);
}

// Returns true when the message belonged to the election protocol.
bool TokenCoordinator::on_election_message(ProcessContext& ctx, const Message& message) {
  const NodeId from = message.from;
  const SimTimeUs now_us = ctx.monotonic_now_us();
  const bool fenced = config_.reelection == TokenReelection::fenced;
  if (const auto* hb = std::get_if<TokenHeartbeat>(&message.payload)) {
    if (hb->term < term_ || (hb->term == term_ && role_ == Role::coordinator && from < ctx.self())) {
      ctx.send(from, TokenHeartbeatAck{term_, hb->sent_mono_us});  // "you are deposed": our term is newer
      if (role_ == Role::coordinator) send_heartbeats(ctx);
      return true;
    }
    if (role_ != Role::standby || leader_ != from) ctx.note("follows", from, static_cast<std::int64_t>(hb->term));
    step_down(ctx, hb->term, from);
    promise_until_mono_us_ = std::max(promise_until_mono_us_, now_us + config_.election_timeout_us);
    ctx.send(from, TokenHeartbeatAck{term_, hb->sent_mono_us});
    return true;
  }
  if (const auto* ack = std::get_if<TokenHeartbeatAck>(&message.payload)) {
    if (ack->term > term_) {
      step_down(ctx, ack->term, kNoNode);
      return true;
    }
    if (role_ != Role::coordinator || ack->term != term_) return true;
    auto it = std::find_if(acked_.begin(), acked_.end(), [&](const auto& a) { return a.first == from; });
    if (it == acked_.end()) acked_.emplace_back(from, ack->sent_mono_us);
    else it->second = std::max(it->second, ack->sent_mono_us);
    if (holder_ == kNoNode && !waiting_.empty()) grant_next(ctx);  // if it may grant now
    return true;
  }
  if (const auto* election = std::get_if<TokenElection>(&message.payload)) {
    if (election->term < term_ || (election->term == term_ && role_ == Role::coordinator)) {
      ctx.send(from, TokenVote{term_, false});
      if (role_ == Role::coordinator) send_heartbeats(ctx);
      return true;
    }
    // Fenced: a newer term ends our own (a coordinator never carries on into another's term).
    if (fenced && election->term > term_ && role_ != Role::standby) step_down(ctx, election->term, kNoNode);
    // Bully: a higher id refuses and stands itself (naive: a live coordinator just re-asserts itself).
    if (ctx.self() > from) {
      ctx.send(from, TokenVote{election->term, false});
      if (role_ == Role::coordinator) {
        term_ = election->term;
        send_heartbeats(ctx);
      } else if (role_ != Role::candidate && (!fenced || now_us >= promise_until_mono_us_)) {
        term_ = std::max(term_, election->term);
        start_election(ctx);
      }
      return true;
    }
    const bool promised = fenced && now_us < promise_until_mono_us_;
    const bool granted = !promised && election->term > voted_term_;
    if (granted) {
      voted_term_ = election->term;
      if (role_ != Role::standby || term_ < election->term) step_down(ctx, election->term, kNoNode);
      if (fenced) promise_until_mono_us_ = std::max(promise_until_mono_us_, now_us + config_.election_timeout_us);
    }
    ctx.send(from, TokenVote{election->term, granted});
    return true;
  }
  if (const auto* vote = std::get_if<TokenVote>(&message.payload)) {
    if (vote->term > term_) {
      step_down(ctx, vote->term, kNoNode);
      return true;
    }
    if (role_ != Role::candidate || vote->term != term_) return true;
    if (!vote->granted) {
      if (from > ctx.self()) {  // bully: a higher live id takes over; wait for its heartbeats
        ctx.note("outranked", from, static_cast<std::int64_t>(term_));
        step_down(ctx, term_, kNoNode);
      }
      return true;
    }
    if (std::find(votes_.begin(), votes_.end(), from) == votes_.end()) votes_.push_back(from);
    // A vote promises what a heartbeat ack does, counted from when the election was sent.
    acked_.emplace_back(from, election_sent_mono_us_);
    return true;
  }
  return false;
}

void TokenCoordinator::on_timer(ProcessContext& ctx, std::uint32_t kind) {
  if (config_.reelection == TokenReelection::off) return;
  switch (kind) {
    case kHeartbeat:
      heartbeat_timer_ = 0;
      if (role_ == Role::coordinator) send_heartbeats(ctx);
      break;
    case kElection:
      election_timer_ = 0;
      if (role_ == Role::candidate) {
        // Bully: no higher id objected. Naive: that is enough. Fenced: a majority must have voted.
        const bool enough = config_.reelection == TokenReelection::naive || votes_.size() + 1 >= majority(ctx);
        if (enough) become_coordinator(ctx);
        else step_down(ctx, term_, kNoNode);
      } else if (role_ == Role::standby) {
        if (config_.reelection == TokenReelection::fenced && ctx.monotonic_now_us() < promise_until_mono_us_) arm_election_timer(ctx);
        else start_election(ctx);
      }
      break;
    case kReclaim:
      reclaim_timer_ = 0;
      if (role_ == Role::coordinator && holder_ != kNoNode) {
        ctx.note("lease reclaimed", holder_, static_cast<std::int64_t>(epoch_));
        take_back(ctx);
        grant_next(ctx);
      }
      break;
    case kGrace:
      if (role_ == Role::coordinator && holder_ == kNoNode) grant_next(ctx);
      break;
    default: break;
  }
}

void TokenCoordinator::grant(ProcessContext& ctx, NodeId client, std::uint64_t request_id) {
  holder_ = client;
  holder_request_ = request_id;
  ++epoch_;
  ++grants_;
  ctx.note("grant", client, static_cast<std::int64_t>(epoch_));
  ctx.send(client, TokenGrant{request_id, epoch_});
  if (config_.reelection == TokenReelection::fenced) {
    // The holder trusts its lease until lease - drift from its request; we take the token back
    // after lease + drift from now (later than the request), whatever its clock does.
    if (reclaim_timer_ != 0) ctx.cancel_timer(reclaim_timer_);
    reclaim_timer_ = ctx.set_timer(config_.lease_us + lease_drift_us(config_.lease_us), kReclaim);
  }
}

// The token is free: the first waiter gets it (if this coordinator may grant now).
void TokenCoordinator::grant_next(ProcessContext& ctx) {
  if (holder_ != kNoNode) return;
  if (waiting_.empty()) {
    ctx.note("token free");
    return;
  }
  if (!may_grant(ctx)) return;  // re-election: not (yet) allowed; a later ack or the grace end retries
  const auto [next, request_id] = waiting_.front();
  waiting_.pop_front();
  grant(ctx, next, request_id);
}

// The token is back (released, or implied by the holder's newer request): no holder, no lease.
void TokenCoordinator::take_back(ProcessContext& ctx) {
  holder_ = kNoNode;
  holder_request_ = 0;
  if (reclaim_timer_ != 0) ctx.cancel_timer(reclaim_timer_);
  reclaim_timer_ = 0;
}

void TokenCoordinator::on_message(ProcessContext& ctx, const Message& message) {
  if (config_.reelection != TokenReelection::off) {
    if (on_election_message(ctx, message)) return;
    if (role_ != Role::coordinator) {
      if (std::holds_alternative<TokenRequest>(message.payload))
        ctx.send(message.from, TokenRedirect{term_, leader_});  // not the coordinator: say who is
      else if (const auto* release = std::get_if<TokenRelease>(&message.payload))
        ctx.note("stale release", message.from, static_cast<std::int64_t>(release->epoch));
      return;
    }
  }
  // The lock proper, the same with or without re-election; only "grant now" waits in grant_next
  // until a re-elected coordinator may grant.
  if (const auto* request = std::get_if<TokenRequest>(&message.payload)) {
    const NodeId client = message.from;
    if (holder_ == client && request->request_id < holder_request_) {
      ctx.note("stale request", client, static_cast<std::int64_t>(request->request_id));  // overtaken on the way
      return;
    }
    if (holder_ == client) {
      if (request->request_id == holder_request_) {
        // The same request again: our grant was lost or the client retried; resend (idempotent).
        ctx.send(client, TokenGrant{holder_request_, epoch_});
        return;
      }
      // A newer request from the holder means it let go of the token (its release was lost, or
      // it restarted): take the token back, hand it on, then treat this as a fresh request.
      ctx.note("implied release", client, static_cast<std::int64_t>(epoch_));
      take_back(ctx);
      if (!waiting_.empty()) grant_next(ctx);
    }
    auto queued = std::find_if(waiting_.begin(), waiting_.end(), [&](const auto& w) { return w.first == client; });
    const bool was_queued = queued != waiting_.end();
    if (was_queued) queued->second = std::max(queued->second, request->request_id);
    else waiting_.emplace_back(client, request->request_id);
    if (holder_ == kNoNode) grant_next(ctx);
    else if (!was_queued) ctx.note("queued", client, static_cast<std::int64_t>(waiting_.size()));
  } else if (const auto* release = std::get_if<TokenRelease>(&message.payload)) {
    if (holder_ != message.from || release->epoch != epoch_) {
      ctx.note("stale release", message.from, static_cast<std::int64_t>(release->epoch));
      return;
    }
    take_back(ctx);
    grant_next(ctx);
  }
}

void TokenCoordinator::on_crash() {
  if (config_.reelection != TokenReelection::off) {
    // Term, vote, epoch and the promise not to vote are on disk; who coordinates is not.
    role_ = Role::standby;
    leader_ = kNoNode;
    votes_.clear();
    acked_.clear();
    grace_until_mono_us_ = 0;
    heartbeat_timer_ = election_timer_ = reclaim_timer_ = 0;
    if (config_.durable) return;
  }
  if (config_.durable) return;  // holder, queue and epoch are on disk
  holder_ = kNoNode;
  holder_request_ = 0;
  waiting_.clear();
  grants_ = 0;
}

std::vector<NodeId> TokenCoordinator::queue() const {
  std::vector<NodeId> out;
  for (const auto& w : waiting_) out.push_back(w.first);
  return out;
}


std::string token_epoch_text(std::uint64_t epoch) {
  const std::uint64_t term = token_epoch_term(epoch);
  if (term == 0) return std::to_string(epoch);
  return "t" + std::to_string(term) + "." + std::to_string(epoch & 0xFFFFFFFFull);
}

std::string TokenCoordinator::status() const {
  const std::string lock = "epoch " + token_epoch_text(epoch_) + ", " + std::to_string(waiting_.size()) + " queued";
  if (config_.reelection == TokenReelection::off) return lock;
  switch (role_) {
    case Role::coordinator: return "COORDINATOR term " + std::to_string(term_) + ", " + lock;
    case Role::candidate: return "candidate, term " + std::to_string(term_);
    case Role::standby: break;
  }
  return "standby, term " + std::to_string(term_) + (leader_ == kNoNode ? "" : ", follows node " + std::to_string(leader_));
}

Inspection TokenCoordinator::inspect() const {
  Inspection out = {{"holder", holder_ == kNoNode ? "(token free)" : "node " + std::to_string(holder_)},
          {"epoch (durable)", token_epoch_text(epoch_)},
          {"queue length", std::to_string(waiting_.size())},
          {"grants since start", std::to_string(grants_)},
          {"holder and queue", config_.durable ? "on disk (durable)" : "in memory (lost on crash)"}};
  if (config_.reelection != TokenReelection::off) {
    out.push_back({"re-election", token_reelection_name(config_.reelection)});
    out.push_back({"role", role_ == Role::coordinator ? "coordinator" : role_ == Role::candidate ? "candidate" : "standby"});
    out.push_back({"term (durable)", std::to_string(term_)});
    out.push_back({"coordinator believed", leader_ == kNoNode ? "(none)" : "node " + std::to_string(leader_)});
    out.push_back({"elections won", std::to_string(elections_won_)});
  }
  return out;
}

void TokenCoordinator::hash_into(Hasher& h) const {
  h.u64(holder_).u64(holder_request_).u64(epoch_).u64(grants_).u64(waiting_.size());
  for (const auto& w : waiting_) h.u64(w.first).u64(w.second);
  if (config_.reelection == TokenReelection::off) return;
  h.u64(term_).u64(voted_term_).u64(static_cast<std::uint64_t>(role_)).u64(leader_).u64(votes_.size()).u64(acked_.size());
  for (const auto& [peer, at_us] : acked_) h.u64(peer).i64(at_us);
  h.i64(promise_until_mono_us_).i64(grace_until_mono_us_).i64(election_sent_mono_us_).u64(heartbeat_timer_).u64(election_timer_).u64(reclaim_timer_);
  h.u64(elections_won_);
}

// ---------------------------------------------------------------- client

CsProgram TokenClient::program() const {
  // The token lock keeps its original manual mode: without auto_acquire a holder holds until told.
  return {config_.hold_us, config_.think_us, config_.retry_us, config_.auto_acquire, config_.auto_acquire, config_.write};
}

NodeId TokenClient::coordinator_node(ProcessContext& ctx) {
  if (config_.reelection == TokenReelection::off) return ctx.find_role(NodeRole::token_coordinator);
  if (coordinator_ == kNoNode) {  // first guess: the highest-id coordinator node (the bully winner)
    const auto& nodes = ctx.world().nodes();
    for (NodeId id = 0; id < nodes.size(); ++id)
      if (nodes[id].role == NodeRole::token_coordinator && !nodes[id].removed) coordinator_ = id;
  }
  return coordinator_;
}

void TokenClient::next_coordinator(ProcessContext& ctx) {
  // Nobody answered: try the next coordinator node down (cyclic), it will redirect us if it knows.
  const auto& nodes = ctx.world().nodes();
  NodeId highest = kNoNode;
  NodeId below = kNoNode;
  for (NodeId id = 0; id < nodes.size(); ++id) {
    if (nodes[id].role != NodeRole::token_coordinator || nodes[id].removed) continue;
    highest = id;
    if (coordinator_ != kNoNode && id < coordinator_) below = id;
  }
  coordinator_ = below != kNoNode ? below : highest;
}

void TokenClient::begin_acquire(ProcessContext& ctx) {
  const NodeId coordinator = coordinator_node(ctx);
  if (coordinator == kNoNode) {
    set_phase(LockPhase::idle);
    return;
  }
  ++request_id_;
  sent_mono_us_ = ctx.monotonic_now_us();
  ctx.send(coordinator, TokenRequest{request_id_});
  retry_timer_ = ctx.set_timer(config_.retry_us, kRetry);
}

void TokenClient::release_lock(ProcessContext& ctx) {
  const NodeId coordinator = config_.reelection == TokenReelection::off ? coordinator_node(ctx) : release_to_;
  if (coordinator != kNoNode) ctx.send(coordinator, TokenRelease{token()});
}

void TokenClient::on_message(ProcessContext& ctx, const Message& message) {
  if (program_message(ctx, message)) return;
  if (const auto* redirect = std::get_if<TokenRedirect>(&message.payload)) {
    if (config_.reelection == TokenReelection::off) return;
    if (config_.reelection == TokenReelection::fenced && redirect->term < highest_term_) return;  // an old view
    highest_term_ = std::max(highest_term_, redirect->term);
    if (redirect->coordinator == kNoNode || redirect->coordinator == coordinator_ || phase() != LockPhase::acquiring) {
      if (redirect->coordinator != kNoNode) coordinator_ = redirect->coordinator;
      return;  // unknown (an election is on): the retry timer tries again
    }
    coordinator_ = redirect->coordinator;
    ctx.note("redirected", coordinator_, static_cast<std::int64_t>(redirect->term));
    sent_mono_us_ = ctx.monotonic_now_us();
    ctx.send(coordinator_, TokenRequest{request_id_});
    return;
  }
  const auto* grant = std::get_if<TokenGrant>(&message.payload);
  if (grant == nullptr) return;
  const bool fenced = config_.reelection == TokenReelection::fenced;
  if (fenced && token_epoch_term(grant->epoch) < highest_term_) {
    // A deposed coordinator's grant: a newer term exists. Refuse it (hand it straight back).
    ctx.note("refused old term", message.from, static_cast<std::int64_t>(grant->epoch));
    ctx.send(message.from, TokenRelease{grant->epoch});
    return;
  }
  if (fenced) highest_term_ = std::max(highest_term_, token_epoch_term(grant->epoch));
  if (phase() == LockPhase::acquiring && grant->request_id == request_id_) {
    cancel(ctx, retry_timer_);
    if (config_.reelection != TokenReelection::off) {
      coordinator_ = message.from;
      release_to_ = message.from;
    }
    if (fenced) {
      // The grant is a lease, counted from our (latest) request on our own clock, minus drift.
      entered(ctx, grant->epoch, sent_mono_us_ + config_.lease_us - lease_drift_us(config_.lease_us), true);
    } else {
      entered(ctx, grant->epoch, kSimTimeMaxUs, false);
    }
  } else if (critical_section().inside && grant->epoch == token()) {
    // a duplicate of the grant we hold: nothing to do
  } else {
    // A grant we no longer want (we restarted, or gave up): hand the token straight back.
    ctx.note("returned unwanted grant", message.from, static_cast<std::int64_t>(grant->epoch));
    ctx.send(message.from, TokenRelease{grant->epoch});
  }
}

void TokenClient::on_timer(ProcessContext& ctx, std::uint32_t kind) {
  if (program_timer(ctx, kind)) return;
  if (kind == kRetry) {
    retry_timer_ = 0;
    if (phase() == LockPhase::acquiring) {
      if (config_.reelection != TokenReelection::off) next_coordinator(ctx);
      if (config_.reelection == TokenReelection::fenced) {
        ++request_id_;  // a fresh request: the lease counts from this send, not the first
        sent_mono_us_ = ctx.monotonic_now_us();
      }
      const NodeId coordinator = coordinator_node(ctx);
      ctx.note("retry", coordinator, static_cast<std::int64_t>(request_id_));
      if (coordinator != kNoNode) ctx.send(coordinator, TokenRequest{request_id_});
      retry_timer_ = ctx.set_timer(config_.retry_us, kRetry);
    }
  }
}

void TokenClient::on_crash() {
  program_crash();
  retry_timer_ = 0;
  coordinator_ = kNoNode;
  release_to_ = kNoNode;
}

bool TokenClient::on_client_op(ProcessContext& ctx, const std::string& op, std::int64_t, std::string& error) {
  if (op == "acquire" && phase() != LockPhase::idle) {
    error = critical_section().inside ? "already holds the token" : "already waiting for the token";
    return false;
  }
  if (op == "release" && !critical_section().inside) {
    error = "does not hold the token";
    return false;
  }
  if (op != "acquire" && op != "release" && op != "write") {
    error = "token clients take \"acquire\", \"write\" or \"release\", not \"" + op + "\"";
    return false;
  }
  return program_op(ctx, op, error);
}

TokenClient::State TokenClient::state() const {
  switch (phase()) {
    case LockPhase::idle: return State::idle;
    case LockPhase::acquiring:
    case LockPhase::releasing: return State::waiting;
    case LockPhase::holding:
    case LockPhase::writing: return State::holding;
  }
  return State::idle;
}

std::string TokenClient::status() const {
  switch (phase()) {
    case LockPhase::idle: return "idle";
    case LockPhase::acquiring:
    case LockPhase::releasing: return "waiting";
    case LockPhase::holding: return "HOLDS token (epoch " + token_epoch_text(token()) + ")";
    case LockPhase::writing: return "HOLDS token (epoch " + token_epoch_text(token()) + "), writing";
  }
  return {};
}

Inspection TokenClient::inspect() const {
  Inspection out = {{"state", status()},
                    {"request id", std::to_string(request_id_)},
                    {"acquisitions", std::to_string(acquisitions())},
                    {"auto acquire", config_.auto_acquire ? "yes" : "no"}};
  if (writes_accepted() + writes_rejected() != 0)
    out.push_back({"writes accepted / rejected", std::to_string(writes_accepted()) + " / " + std::to_string(writes_rejected())});
  return out;
}

void TokenClient::hash_into(Hasher& h) const {
  hash_program(h);
  h.u64(request_id_).u64(retry_timer_);
  if (config_.reelection == TokenReelection::off) return;
  h.u64(coordinator_).u64(release_to_).u64(highest_term_).i64(sent_mono_us_);
}

}  // namespace dsplay
