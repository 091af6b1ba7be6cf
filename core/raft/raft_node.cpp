// A Raft server (see raft_node.hpp). Section numbers refer to the extended Raft paper; the rules
// of Figure 2 are quoted where the code implements them.
#include "core/raft/raft_node.hpp"

#include <algorithm>

#include "core/world.hpp"

namespace dsplay {

std::vector<NodeId> raft_members(const World& world) {
  std::vector<NodeId> out;
  const auto& specs = world.config().nodes;  // the initial nodes: their ids are their positions
  for (NodeId id = 0; id < specs.size(); ++id)
    if (specs[id].role == NodeRole::raft) out.push_back(id);
  if (out.size() > 64) out.resize(64);  // votes are a 64-bit mask
  return out;
}

const char* raft_role_name(RaftNode::Role role) {
  switch (role) {
    case RaftNode::Role::follower: return "follower";
    case RaftNode::Role::candidate: return "candidate";
    case RaftNode::Role::leader: return "leader";
  }
  return "?";
}

std::size_t RaftNode::member_index(NodeId node) const {
  for (std::size_t i = 0; i < members_.size(); ++i)
    if (members_[i] == node) return i;
  return static_cast<std::size_t>(-1);
}

std::uint32_t RaftNode::votes() const {
  std::uint32_t n = 0;
  for (std::uint64_t v = votes_; v != 0; v &= v - 1) ++n;
  return n;
}

// ------------------------------------------------------------------ timers

// §5.2: "If election timeout elapses without receiving AppendEntries RPC from current leader or
// granting vote to candidate: convert to candidate." Each reset draws a fresh random timeout.
void RaftNode::reset_election_timer(ProcessContext& ctx) {
  const SimTimeUs now = ctx.local_now_us();
  election_reset_us_ = now;
  election_deadline_us_ = now + ctx.random_between(config_.election_timeout_min_us, config_.election_timeout_max_us);
  if (election_timer_ != 0 && election_timer_at_us_ <= election_deadline_us_) return;  // fires early, re-arms
  if (election_timer_ != 0) ctx.cancel_timer(election_timer_);
  election_timer_ = ctx.set_timer(election_deadline_us_ - now, kElectionTimer);
  election_timer_at_us_ = election_deadline_us_;
}

void RaftNode::respond(ProcessContext& ctx, NodeId to, const Payload& reply, const Durable& before) {
  const bool write = config_.disk_write_us > 0 && !(durable() == before);
  if (!write && disk_queue_.empty()) {
    ctx.send(to, reply);
    return;
  }
  // Writes are sequential, and a reply never overtakes the write of what it acknowledges.
  const SimTimeUs now = ctx.local_now_us();
  const SimTimeUs start = disk_queue_.empty() ? now : std::max(now, disk_queue_.back().due_us);
  disk_queue_.push_back({start + (write ? config_.disk_write_us : 0), to, reply});
  if (disk_timer_ == 0) disk_timer_ = ctx.set_timer(disk_queue_.front().due_us - now, kDiskTimer);
}

void RaftNode::flush_disk(ProcessContext& ctx) {
  const SimTimeUs now = ctx.local_now_us();
  std::size_t sent = 0;
  while (sent < disk_queue_.size() && disk_queue_[sent].due_us <= now) {
    ctx.send(disk_queue_[sent].to, disk_queue_[sent].reply);
    ++sent;
  }
  disk_queue_.erase(disk_queue_.begin(), disk_queue_.begin() + static_cast<std::ptrdiff_t>(sent));
  if (!disk_queue_.empty()) disk_timer_ = ctx.set_timer(disk_queue_.front().due_us - now, kDiskTimer);
}

void RaftNode::arm_heartbeat(ProcessContext& ctx, SimTimeUs delay_us) {
  heartbeat_due_us_ = ctx.local_now_us() + delay_us;
  if (heartbeat_timer_ == 0) heartbeat_timer_ = ctx.set_timer(delay_us, kHeartbeatTimer);
}

void RaftNode::on_timer(ProcessContext& ctx, std::uint32_t kind) {
  const SimTimeUs now = ctx.local_now_us();
  if (kind == kElectionTimer) {
    election_timer_ = 0;
    if (role_ == Role::leader || !is_member()) return;
    if (now < election_deadline_us_) {  // reset since it was armed: wait for the new deadline
      election_timer_ = ctx.set_timer(election_deadline_us_ - now, kElectionTimer);
      election_timer_at_us_ = election_deadline_us_;
      return;
    }
    start_election(ctx);
  } else if (kind == kDiskTimer) {
    disk_timer_ = 0;
    flush_disk(ctx);
  } else if (kind == kHeartbeatTimer) {
    heartbeat_timer_ = 0;
    if (role_ != Role::leader) return;
    if (now < heartbeat_due_us_) {
      heartbeat_timer_ = ctx.set_timer(heartbeat_due_us_ - now, kHeartbeatTimer);
      return;
    }
    check_sessions(ctx);
    broadcast(ctx);
  }
}

// ------------------------------------------------------------------ roles

void RaftNode::on_start(ProcessContext& ctx) {
  members_ = raft_members(ctx.world());
  self_index_ = member_index(ctx.self());
  role_ = Role::follower;
  leader_ = kNoNode;
  if (!is_member()) {
    ctx.note("raft: not a member (membership changes are not modelled)");
    return;
  }
  reset_election_timer(ctx);
}

void RaftNode::on_crash() {
  // currentTerm, votedFor and log_ are on stable storage (Figure 2, "Persistent state").
  if (config_.bug == RaftBug::forget_vote_on_crash) voted_for_ = kNoNode;
  role_ = Role::follower;
  leader_ = kNoNode;
  commit_index_ = 0;
  last_applied_ = 0;
  state_ = LockTable{};
  votes_ = 0;
  next_.clear();
  match_.clear();
  sent_.clear();
  election_reset_us_ = election_deadline_us_ = election_timer_at_us_ = 0;
  election_timer_ = 0;  // the world drops a crashed node's timers
  heartbeat_due_us_ = 0;
  heartbeat_timer_ = 0;
  session_seen_.clear();
  expire_proposed_.clear();
  disk_queue_.clear();  // replies not yet written are never sent
  disk_timer_ = 0;
}

// Figure 2, all servers: "If RPC request or response contains term T > currentTerm: set
// currentTerm = T, convert to follower."
void RaftNode::observe_term(ProcessContext& ctx, std::uint64_t term) {
  if (term <= term_) return;
  term_ = term;
  voted_for_ = kNoNode;
  leader_ = kNoNode;
  if (role_ != Role::follower) {
    ctx.note("raft: stepped down (saw a newer term)", kNoNode, static_cast<std::int64_t>(term));
    become_follower(ctx);
  }
}

void RaftNode::become_follower(ProcessContext& ctx) {
  const bool was_leader = role_ == Role::leader;
  role_ = Role::follower;
  votes_ = 0;
  next_.clear();
  match_.clear();
  sent_.clear();
  session_seen_.clear();
  expire_proposed_.clear();
  if (heartbeat_timer_ != 0) ctx.cancel_timer(heartbeat_timer_);
  heartbeat_timer_ = 0;
  // A candidate's election timer is still running; a leader had none.
  if (was_leader || election_timer_ == 0) reset_election_timer(ctx);
}

// §5.2: "a follower increments its current term and transitions to candidate state. It then votes
// for itself and issues RequestVote RPCs in parallel to each of the other servers."
void RaftNode::start_election(ProcessContext& ctx) {
  ++term_;
  role_ = Role::candidate;
  voted_for_ = ctx.self();
  leader_ = kNoNode;
  votes_ = std::uint64_t{1} << self_index_;
  ++elections_started_;
  next_.clear();
  match_.clear();
  sent_.clear();
  reset_election_timer(ctx);
  ctx.note("raft: election started", kNoNode, static_cast<std::int64_t>(term_));
  if (votes() >= majority()) {  // a cluster of one
    become_leader(ctx);
    return;
  }
  const RaftRequestVote request{term_, log_.last_index(), log_.last_term()};
  for (const NodeId peer : members_)
    if (peer != ctx.self()) ctx.send(peer, request);
}

void RaftNode::become_leader(ProcessContext& ctx) {
  role_ = Role::leader;
  leader_ = ctx.self();
  ++times_leader_;
  if (election_timer_ != 0) ctx.cancel_timer(election_timer_);
  election_timer_ = 0;
  election_deadline_us_ = election_reset_us_ = 0;
  // Figure 2, leaders, volatile state "(Reinitialized after election)": nextIndex = last log
  // index + 1, matchIndex = 0.
  next_.assign(members_.size(), log_.last_index() + 1);
  match_.assign(members_.size(), 0);
  sent_.assign(members_.size(), 0);
  ctx.note("raft: became leader", kNoNode, static_cast<std::int64_t>(term_), static_cast<std::int64_t>(votes()));
  // A new leader gives every live session a fresh TTL: it cannot know when they were last heard.
  session_seen_.clear();
  expire_proposed_.clear();
  const SimTimeUs now = ctx.local_now_us();
  for (const auto& s : state_.sessions())
    if (s.alive) session_seen_.emplace_back(s.id, now);
  // §8: "having each leader commit a blank no-op entry into the log at the start of its term".
  if (config_.leader_noop) log_.append({term_, RaftCommand{RaftOp::noop, false, kNoNode, 0, 0, 0}});
  // §5.2: "Upon election: send initial empty AppendEntries RPCs (heartbeat) to each server."
  broadcast(ctx);
  advance_commit(ctx);  // a cluster of one commits alone
}

// §5.4.1: "If the logs have last entries with different terms, then the log with the later term
// is more up-to-date. If the logs end with the same term, then whichever log is longer is more
// up-to-date."
bool RaftNode::log_up_to_date(std::uint64_t last_log_term, std::uint64_t last_log_index) const {
  if (config_.bug == RaftBug::vote_ignores_log) return true;
  if (last_log_term != log_.last_term()) return last_log_term > log_.last_term();
  return last_log_index >= log_.last_index();
}

// ------------------------------------------------------------------ messages

void RaftNode::on_message(ProcessContext& ctx, const Message& message) {
  if (const auto* m = std::get_if<RaftClientRequest>(&message.payload)) return handle(ctx, message.from, *m);
  if (!is_member() || member_index(message.from) >= members_.size()) return;  // only members take part
  if (const auto* m = std::get_if<RaftAppendEntries>(&message.payload)) return handle(ctx, message.from, *m);
  if (const auto* m = std::get_if<RaftAppendReply>(&message.payload)) return handle(ctx, message.from, *m);
  if (const auto* m = std::get_if<RaftRequestVote>(&message.payload)) return handle(ctx, message.from, *m);
  if (const auto* m = std::get_if<RaftVoteReply>(&message.payload)) return handle(ctx, message.from, *m);
}

// RequestVote receiver (Figure 2): "1. Reply false if term < currentTerm. 2. If votedFor is null
// or candidateId, and candidate's log is at least as up-to-date as receiver's log, grant vote."
void RaftNode::handle(ProcessContext& ctx, NodeId from, const RaftRequestVote& m) {
  const Durable before = durable();
  observe_term(ctx, m.term);
  bool granted = false;
  if (m.term == term_ && (voted_for_ == kNoNode || voted_for_ == from) &&
      log_up_to_date(m.last_log_term, m.last_log_index)) {
    granted = true;
    if (voted_for_ != from) ctx.note("raft: vote granted", from, static_cast<std::int64_t>(term_));
    voted_for_ = from;
    reset_election_timer(ctx);
  }
  respond(ctx, from, RaftVoteReply{term_, granted}, before);
}

void RaftNode::handle(ProcessContext& ctx, NodeId from, const RaftVoteReply& m) {
  observe_term(ctx, m.term);
  if (role_ != Role::candidate || m.term != term_ || !m.granted) return;
  votes_ |= std::uint64_t{1} << member_index(from);
  // §5.2: "A candidate wins an election if it receives votes from a majority of the servers in
  // the full cluster for the same term."
  if (votes() >= majority()) become_leader(ctx);
}

// AppendEntries receiver (Figure 2).
void RaftNode::handle(ProcessContext& ctx, NodeId from, const RaftAppendEntries& m) {
  // "1. Reply false if term < currentTerm (§5.1)"
  if (m.term < term_) {
    ctx.send(from, RaftAppendReply{term_, false, log_.last_index()});
    return;
  }
  const Durable before = durable();
  observe_term(ctx, m.term);
  if (role_ == Role::leader) return;  // a second leader in our term: the checker reports it
  // §5.2: "If the AppendEntries RPC is from the leader whose term is at least as large as the
  // candidate's current term, then the candidate recognizes the leader as legitimate and returns
  // to follower state."
  if (role_ == Role::candidate) become_follower(ctx);
  if (leader_ != from) ctx.note("raft: following", from, static_cast<std::int64_t>(term_));
  leader_ = from;
  reset_election_timer(ctx);
  // "2. Reply false if log doesn't contain an entry at prevLogIndex whose term matches prevLogTerm (§5.3)"
  std::uint64_t index = m.prev_log_index;
  if (config_.bug == RaftBug::skip_consistency_check) {
    index = std::min(index, log_.last_index());  // the bug: append wherever our log happens to end
  } else if (m.prev_log_index > log_.last_index() || log_.term_at(m.prev_log_index) != m.prev_log_term) {
    respond(ctx, from, RaftAppendReply{term_, false, std::min(log_.last_index(), m.prev_log_index - 1)}, before);
    return;
  }
  // "3. If an existing entry conflicts with a new one (same index but different terms), delete the
  // existing entry and all that follow it (§5.3). 4. Append any new entries not already in the log."
  // Entries that already match stay: a delayed, shorter AppendEntries must not cut the log.
  const std::uint64_t first = index;
  for (const RaftEntry& entry : m.entries) {
    ++index;
    if (index <= log_.last_index()) {
      if (log_.term_at(index) == entry.term) continue;
      ctx.note("raft: log truncated", from, static_cast<std::int64_t>(index), static_cast<std::int64_t>(log_.last_index()));
      log_.truncate_from(index);
    }
    log_.append(entry);
  }
  const std::uint64_t match = first + m.entries.size();
  // "5. If leaderCommit > commitIndex, set commitIndex = min(leaderCommit, index of last new entry)"
  if (m.leader_commit > commit_index_) {
    commit_index_ = std::max(commit_index_, std::min(m.leader_commit, match));
    apply_committed(ctx);
  }
  respond(ctx, from, RaftAppendReply{term_, true, match}, before);
}

void RaftNode::handle(ProcessContext& ctx, NodeId from, const RaftAppendReply& m) {
  observe_term(ctx, m.term);
  if (role_ != Role::leader || m.term != term_) return;
  const std::size_t i = member_index(from);
  if (m.success) {
    // Replies may arrive late, twice or out of order: matchIndex only grows.
    match_[i] = std::max(match_[i], m.match_index);
    next_[i] = std::max(next_[i], match_[i] + 1);
    advance_commit(ctx);
    if (next_[i] <= log_.last_index()) send_append(ctx, i);  // more than one message could carry
    return;
  }
  // Figure 2, leaders: "If AppendEntries fails because of log inconsistency: decrement nextIndex
  // and retry." The follower's hint (its last index) lets us skip back further at once.
  next_[i] = std::max(match_[i] + 1, std::min(next_[i] - 1, m.match_index + 1));
  sent_[i] = match_[i];
  send_append(ctx, i);
}

// §8: clients send requests to the leader; others redirect them to the leader they know.
void RaftNode::handle(ProcessContext& ctx, NodeId from, const RaftClientRequest& m) {
  if (!is_member() || role_ != Role::leader) {
    ctx.send(from, RaftClientReply{m.request_id + (m.count > 1 ? m.count - 1 : 0), RaftClientStatus::not_leader, leader_, 0});
    return;
  }
  const RaftOp op = m.command.op;
  if (op == RaftOp::noop || op == RaftOp::expire) return;  // not for clients
  const std::uint32_t count = op == RaftOp::put ? std::clamp<std::uint32_t>(m.count, 1, 1000) : 1;
  const std::uint64_t last_id = m.request_id + count - 1;
  // Already executed: answer from the table (§8: at-most-once).
  if (const auto* record = state_.client_record(from); record != nullptr && last_id <= record->request_id) {
    if (last_id == record->request_id)
      ctx.send(from, RaftClientReply{last_id, record->result.status, ctx.self(), record->result.value});
    return;
  }
  // A retry of a request still in the uncommitted tail: it will be answered when applied.
  for (std::uint64_t index = log_.last_index(); index > commit_index_; --index) {
    const RaftCommand& c = log_.at(index).command;
    if (c.client == from && c.request_id == last_id) return;
  }
  for (std::uint32_t k = 0; k < count; ++k) {
    RaftCommand command = m.command;
    command.client = from;
    command.request_id = m.request_id + k;
    command.reply = k + 1 == count;
    log_.append({term_, command});
  }
  replicate(ctx);
}

// ------------------------------------------------------------------ leader: replication and commit

void RaftNode::append_local(ProcessContext& ctx, const RaftCommand& command) {
  log_.append({term_, command});
  replicate(ctx);
}

// Sends the new entries to every follower right away, pipelined behind any batch still on the
// wire (nextIndex moves ahead optimistically; a rejection or the next heartbeat repairs loss).
void RaftNode::replicate(ProcessContext& ctx) {
  for (std::size_t i = 0; i < members_.size(); ++i)
    if (i != self_index_ && next_[i] <= log_.last_index()) send_append(ctx, i);
  advance_commit(ctx);  // a cluster of one
}

// A heartbeat round: every follower gets an AppendEntries; unacknowledged batches are sent again.
void RaftNode::broadcast(ProcessContext& ctx) {
  for (std::size_t i = 0; i < members_.size(); ++i) {
    if (i == self_index_) continue;
    if (sent_[i] > match_[i]) next_[i] = match_[i] + 1;  // lost or slow: retransmit
    send_append(ctx, i);
  }
  arm_heartbeat(ctx, config_.heartbeat_us);
}

void RaftNode::send_append(ProcessContext& ctx, std::size_t i) {
  RaftAppendEntries m;
  m.term = term_;
  m.prev_log_index = next_[i] - 1;
  m.prev_log_term = log_.term_at(m.prev_log_index);
  m.leader_commit = commit_index_;
  const std::uint64_t last = std::min(log_.last_index(), m.prev_log_index + config_.max_entries_per_message);
  if (last > m.prev_log_index) {
    const auto& entries = log_.entries();
    m.entries.assign(entries.begin() + static_cast<std::ptrdiff_t>(m.prev_log_index),
                     entries.begin() + static_cast<std::ptrdiff_t>(last));
    next_[i] = last + 1;  // optimistic: the next batch follows without waiting (§5.3 retries fix loss)
    sent_[i] = last;
  }
  ctx.send(members_[i], std::move(m));
}

// Figure 2, leaders: "If there exists an N such that N > commitIndex, a majority of
// matchIndex[i] >= N, and log[N].term == currentTerm: set commitIndex = N (§5.3, §5.4)."
// Entries of earlier terms are never committed by counting replicas (§5.4.2, Figure 8).
void RaftNode::advance_commit(ProcessContext& ctx) {
  if (role_ != Role::leader) return;
  std::uint64_t matched[64];
  const std::size_t n = members_.size();
  for (std::size_t i = 0; i < n; ++i) matched[i] = i == self_index_ ? log_.last_index() : match_[i];
  std::sort(matched, matched + n, [](std::uint64_t a, std::uint64_t b) { return a > b; });
  const std::uint64_t candidate = matched[majority() - 1];
  if (candidate <= commit_index_) return;
  if (log_.term_at(candidate) != term_ && config_.bug != RaftBug::commit_old_terms) return;
  commit_index_ = candidate;
  apply_committed(ctx);
}

// Figure 2, all servers: "If commitIndex > lastApplied: increment lastApplied, apply
// log[lastApplied] to state machine." The leader answers the client that asked.
void RaftNode::apply_committed(ProcessContext& ctx) {
  while (last_applied_ < commit_index_) {
    ++last_applied_;
    const RaftCommand& command = log_.at(last_applied_).command;
    const RaftApplyResult result = state_.apply(last_applied_, command);
    if (role_ != Role::leader) continue;
    const SimTimeUs now = ctx.local_now_us();
    switch (command.op) {
      case RaftOp::session_open:
        if (result.status == RaftClientStatus::ok) touch_session(result.value, now);
        break;
      case RaftOp::keepalive:
      case RaftOp::acquire:
      case RaftOp::release:
        if (result.status != RaftClientStatus::no_session) touch_session(command.session, now);
        break;
      case RaftOp::expire: {
        auto it = std::find(expire_proposed_.begin(), expire_proposed_.end(), command.session);
        if (it != expire_proposed_.end()) expire_proposed_.erase(it);
        const auto* s = state_.session(command.session);
        if (s != nullptr && s->alive) break;  // void: the session was active after the leader looked
        std::erase_if(session_seen_, [&](const auto& x) { return x.first == command.session; });
        ctx.note("raft: session expired", kNoNode, static_cast<std::int64_t>(command.session));
        break;
      }
      default: break;
    }
    if (command.client != kNoNode && command.reply)
      ctx.send(command.client, RaftClientReply{command.request_id, result.status, ctx.self(), result.value});
  }
}

void RaftNode::touch_session(std::uint64_t session, SimTimeUs now_us) {
  for (auto& s : session_seen_) {
    if (s.first == session) {
      s.second = std::max(s.second, now_us);
      return;
    }
  }
  session_seen_.emplace_back(session, now_us);
}

// The leader proposes `expire` for sessions it has not heard of for a TTL. Only the committed
// entry ends the session, on every replica alike.
void RaftNode::check_sessions(ProcessContext& ctx) {
  const SimTimeUs now = ctx.local_now_us();
  bool appended = false;
  for (const auto& [session, seen_us] : session_seen_) {
    if (now - seen_us <= config_.session_ttl_us) continue;
    if (std::find(expire_proposed_.begin(), expire_proposed_.end(), session) != expire_proposed_.end()) continue;
    const auto* s = state_.session(session);
    if (s == nullptr || !s->alive) continue;
    expire_proposed_.push_back(session);
    // client stays kNoNode: the entry is the leader's own, not a client request to deduplicate.
    // arg: the latest activity we know of; if the log holds a later one, the expire is void.
    log_.append({term_, RaftCommand{RaftOp::expire, false, kNoNode, 0, session, static_cast<std::int64_t>(s->last_activity)}});
    appended = true;
  }
  if (appended) advance_commit(ctx);
}

// ------------------------------------------------------------------ client ops, views

bool RaftNode::on_client_op(ProcessContext& ctx, const std::string& op, std::int64_t arg, std::string& error) {
  if (!is_member()) {
    error = "not a member of the Raft cluster";
    return false;
  }
  if (op == "timeout_now") {
    if (role_ == Role::leader) {
      error = "already the leader";
      return false;
    }
    start_election(ctx);
    return true;
  }
  if (op == "put") {
    if (role_ != Role::leader) {
      const auto& nodes = ctx.world().nodes();
      error = "not the leader (" + (leader_ < nodes.size() ? "the leader is " + nodes[leader_].name : std::string("no leader known")) + ")";
      return false;
    }
    append_local(ctx, RaftCommand{RaftOp::put, false, kNoNode, 0, 0, arg});
    return true;
  }
  error = "raft nodes take \"timeout_now\" or \"put\", not \"" + op + "\"";
  return false;
}

NodeActivity RaftNode::activity() const {
  switch (role_) {
    case Role::leader: return NodeActivity::serving;
    case Role::candidate: return NodeActivity::waiting;
    case Role::follower: return NodeActivity::idle;
  }
  return NodeActivity::idle;
}

std::string RaftNode::status() const {
  std::string out = std::string(raft_role_name(role_)) + " T" + std::to_string(term_);
  if (role_ == Role::candidate) out += ", " + std::to_string(votes()) + "/" + std::to_string(majority()) + " votes";
  if (role_ == Role::leader) out += ", commit " + std::to_string(commit_index_);
  return out;
}

Inspection RaftNode::inspect() const {
  auto id = [](NodeId n) { return n == kNoNode ? std::string("-") : "node " + std::to_string(n); };
  Inspection out = {{"role", raft_role_name(role_)},
                    {"current term (durable)", std::to_string(term_)},
                    {"voted for (durable)", id(voted_for_)},
                    {"log length (durable)", std::to_string(log_.last_index())},
                    {"last log term", std::to_string(log_.last_term())},
                    {"commit index", std::to_string(commit_index_)},
                    {"last applied", std::to_string(last_applied_)},
                    {"known leader", id(leader_)},
                    {"elections started", std::to_string(elections_started_)},
                    {"times leader", std::to_string(times_leader_)}};
  if (role_ == Role::candidate) out.emplace_back("votes", std::to_string(votes()) + " of " + std::to_string(majority()) + " needed");
  std::uint32_t live = 0;
  for (const auto& s : state_.sessions()) live += s.alive ? 1 : 0;
  out.emplace_back("live sessions", std::to_string(live));
  for (std::size_t l = 0; l < state_.locks().size(); ++l) {
    const auto& lock = state_.locks()[l];
    out.emplace_back("lock " + std::to_string(l), lock.session == 0 ? "free" : "session " + std::to_string(lock.session) + ", token " + std::to_string(lock.token));
  }
  if (!is_member()) out.emplace_back("member", "no (added after the start)");
  return out;
}

void RaftNode::hash_into(Hasher& h) const {
  h.u64(term_).u64(voted_for_).u64(log_.last_index()).u64(log_.truncations());
  for (const RaftEntry& e : log_.entries()) {
    const RaftCommand& c = e.command;
    h.u64(e.term).u64(static_cast<std::uint64_t>(c.op)).u64(c.client).u64(c.request_id).u64(c.session).i64(c.arg);
  }
  h.u64(static_cast<std::uint64_t>(role_)).u64(leader_).u64(commit_index_).u64(last_applied_).u64(votes_);
  for (std::size_t i = 0; i < next_.size(); ++i) h.u64(next_[i]).u64(match_[i]).u64(sent_[i]);
  h.i64(election_reset_us_).i64(election_deadline_us_).i64(heartbeat_due_us_).u64(election_timer_).u64(heartbeat_timer_);
  for (const auto& [session, seen] : session_seen_) h.u64(session).i64(seen);
  for (auto s : expire_proposed_) h.u64(s);
  h.u64(disk_queue_.size()).u64(disk_timer_);
  for (const auto& p : disk_queue_) h.i64(p.due_us).u64(p.to).u64(p.reply.index());
  state_.hash_into(h);
}

}  // namespace dsplay
