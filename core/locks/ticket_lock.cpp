// Ticket lock: coordinator and client (see ticket_lock.hpp).
#include "core/locks/ticket_lock.hpp"

#include <algorithm>

#include "core/world.hpp"

namespace dsplay {

// ---------------------------------------------------------------- coordinator

void TicketCoordinator::on_start(ProcessContext& ctx) {
  if (holder_.ticket == 0) serve_next(ctx);
}

void TicketCoordinator::serve_next(ProcessContext& ctx) {
  if (holder_.ticket != 0 || queue_.empty()) return;
  holder_ = queue_.front();
  queue_.erase(queue_.begin());
  ++grants_;
  ctx.note("serving", holder_.client, static_cast<std::int64_t>(holder_.ticket));
  ctx.send(holder_.client, TicketGrant{holder_.ticket, holder_.request_id});
}

void TicketCoordinator::on_message(ProcessContext& ctx, const Message& message) {
  const NodeId client = message.from;
  if (const auto* request = std::get_if<TicketRequest>(&message.payload)) {
    if (holder_.client == client && request->request_id < holder_.request_id) return;  // overtaken on the way: stale
    if (holder_.client == client) {
      if (holder_.request_id == request->request_id) {  // our grant was lost: send it again
        ctx.send(client, TicketGrant{holder_.ticket, holder_.request_id});
        return;
      }
      // A new request from the holder: it let go (its release was lost, or it restarted).
      ctx.note("implied release", client, static_cast<std::int64_t>(holder_.ticket));
      holder_ = TicketEntry{};
    }
    auto mine = std::find_if(queue_.begin(), queue_.end(), [&](const TicketEntry& e) { return e.client == client; });
    if (mine != queue_.end() && mine->request_id > request->request_id) return;  // stale
    if (mine != queue_.end() && mine->request_id == request->request_id) {
      ctx.send(client, TicketIssued{request->request_id, mine->ticket, holder_.ticket});  // a retry: same ticket
      return;
    }
    if (mine != queue_.end()) queue_.erase(mine);  // a newer request replaces a forgotten one
    const TicketEntry entry{next_ticket_++, client, request->request_id, ctx.world().now_us()};
    queue_.push_back(entry);
    ctx.note("ticket", client, static_cast<std::int64_t>(entry.ticket));
    ctx.send(client, TicketIssued{request->request_id, entry.ticket, holder_.ticket});
    serve_next(ctx);
  } else if (const auto* release = std::get_if<TicketRelease>(&message.payload)) {
    if (holder_.client != client || holder_.ticket != release->ticket) {
      ctx.note("stale release", client, static_cast<std::int64_t>(release->ticket));
      return;
    }
    holder_ = TicketEntry{};
    serve_next(ctx);
  }
}

std::string TicketCoordinator::status() const {
  return "serving " + (holder_.ticket ? std::to_string(holder_.ticket) : std::string("-")) + ", " +
         std::to_string(queue_.size()) + " waiting, next ticket " + std::to_string(next_ticket_);
}

Inspection TicketCoordinator::inspect() const {
  return {{"now serving", holder_.ticket ? std::to_string(holder_.ticket) + " (node " + std::to_string(holder_.client) + ")" : "-"},
          {"next ticket", std::to_string(next_ticket_)},
          {"waiting", std::to_string(queue_.size())},
          {"grants", std::to_string(grants_)}};
}

void TicketCoordinator::hash_into(Hasher& h) const {
  h.u64(next_ticket_).u64(holder_.ticket).u64(holder_.client).u64(holder_.request_id).i64(holder_.issued_us);
  h.u64(grants_).u64(queue_.size());
  for (const auto& e : queue_) h.u64(e.ticket).u64(e.client).u64(e.request_id).i64(e.issued_us);
}

// ---------------------------------------------------------------- client

void TicketClient::begin_acquire(ProcessContext& ctx) {
  ++request_id_;
  ticket_ = 0;
  serving_ = 0;
  asked_mono_us_ = ctx.monotonic_now_us();
  send_request(ctx);
}

void TicketClient::send_request(ProcessContext& ctx) {
  const NodeId coordinator = ctx.find_role(NodeRole::ticket_coordinator);
  if (coordinator != kNoNode) ctx.send(coordinator, TicketRequest{request_id_});
  cancel(ctx, retry_timer_);
  retry_timer_ = ctx.set_timer(config_.retry_us * 4, kRetry);  // re-ask: keeps the ticket, recovers a lost grant
}

void TicketClient::on_message(ProcessContext& ctx, const Message& message) {
  if (program_message(ctx, message)) return;
  if (const auto* issued = std::get_if<TicketIssued>(&message.payload)) {
    if (phase() != LockPhase::acquiring || issued->request_id != request_id_) return;
    ticket_ = issued->ticket;
    serving_ = issued->serving;
  } else if (const auto* grant = std::get_if<TicketGrant>(&message.payload)) {
    if (phase() == LockPhase::acquiring && grant->request_id == request_id_) {
      // (a grant can overtake its TicketIssued: the ticket is the one being served)
      ticket_ = grant->ticket;
      serving_ = grant->ticket;
      cancel(ctx, retry_timer_);
      last_wait_us_ = ctx.monotonic_now_us() - asked_mono_us_;
      max_wait_us_ = std::max(max_wait_us_, last_wait_us_);
      entered(ctx, grant->ticket, kSimTimeMaxUs, false);
    } else if (critical_section().inside && grant->ticket == token()) {
      // duplicate of the grant we hold
    } else {
      ctx.note("returned unwanted grant", message.from, static_cast<std::int64_t>(grant->ticket));
      ctx.send(message.from, TicketRelease{grant->ticket});
    }
  }
}

void TicketClient::release_lock(ProcessContext& ctx) {
  const NodeId coordinator = ctx.find_role(NodeRole::ticket_coordinator);
  if (coordinator != kNoNode) ctx.send(coordinator, TicketRelease{token()});
  ticket_ = 0;
}

void TicketClient::on_timer(ProcessContext& ctx, std::uint32_t kind) {
  if (program_timer(ctx, kind)) return;
  if (kind == kRetry) {
    retry_timer_ = 0;
    if (phase() == LockPhase::acquiring) send_request(ctx);
  }
}

void TicketClient::on_crash() {
  program_crash();
  ticket_ = serving_ = 0;
  retry_timer_ = 0;
}

std::string TicketClient::status() const {
  if (phase() == LockPhase::acquiring)
    return ticket_ ? "ticket " + std::to_string(ticket_) + ", serving " + std::to_string(serving_) : "taking a ticket";
  if (critical_section().inside) return "HOLDS the lock (ticket " + std::to_string(token()) + ")";
  return lock_phase_name(phase());
}

Inspection TicketClient::inspect() const {
  Inspection out = program_inspection();
  out.push_back({"ticket", ticket_ ? std::to_string(ticket_) : "-"});
  out.push_back({"last wait", format_duration(last_wait_us_)});
  out.push_back({"longest wait", format_duration(max_wait_us_)});
  return out;
}

void TicketClient::hash_into(Hasher& h) const {
  hash_program(h);
  h.u64(request_id_).u64(ticket_).u64(serving_).i64(asked_mono_us_).i64(last_wait_us_).i64(max_wait_us_).u64(retry_timer_);
}

}  // namespace dsplay
