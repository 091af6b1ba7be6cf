// The storage node (see storage.hpp).
#include "core/locks/storage.hpp"

#include "core/world.hpp"

namespace dsplay {

void StorageNode::on_message(ProcessContext& ctx, const Message& message) {
  const auto* write = std::get_if<StorageWrite>(&message.payload);
  if (write == nullptr) return;
  for (const Seen& s : seen_) {
    if (s.client == message.from && s.entry == write->entry) {  // a retry or a duplicate: same answer
      ctx.send(message.from, StorageAck{write->entry, write->token, highest_token_, s.accepted});
      return;
    }
  }
  const bool accepted = !fenced_ || write->token >= highest_token_;
  ++writes_;
  if (accepted) {
    ++accepted_;
    if (write->token > highest_token_) highest_token_ = write->token;
    ctx.note("write accepted", message.from, static_cast<std::int64_t>(write->token));
  } else {
    ++rejected_;
    ctx.note("write rejected", message.from, static_cast<std::int64_t>(write->token), static_cast<std::int64_t>(highest_token_));
  }
  const StorageWriteRecord record{message.from, ctx.world().now_us(), write->token, write->entry,
                                  ctx.world().event_count(), writes_, accepted};
  if (log_.size() < kLogKeep) {
    log_.push_back(record);
  } else {
    log_[log_head_] = record;
    log_head_ = static_cast<std::uint32_t>((log_head_ + 1) % kLogKeep);
  }
  const Seen seen{message.from, write->entry, accepted};
  if (seen_.size() < 64) {
    seen_.push_back(seen);
  } else {
    seen_[seen_next_] = seen;
    seen_next_ = (seen_next_ + 1) % 64;
  }
  ctx.send(message.from, StorageAck{write->entry, write->token, highest_token_, accepted});
}

std::string StorageNode::status() const {
  return std::to_string(accepted_) + " writes accepted, " + std::to_string(rejected_) + " rejected" +
         (fenced_ ? ", fenced (highest token " + std::to_string(highest_token_) + ")" : "");
}

Inspection StorageNode::inspect() const {
  Inspection out = {{"mode", fenced_ ? "fenced: rejects tokens below the highest seen" : "accepts every write"},
                    {"writes accepted", std::to_string(accepted_)},
                    {"writes rejected", std::to_string(rejected_)}};
  if (fenced_) out.push_back({"highest token", std::to_string(highest_token_)});
  return out;
}

void StorageNode::hash_into(Hasher& h) const {
  h.boolean(fenced_).u64(highest_token_).u64(writes_).u64(accepted_).u64(rejected_).u64(log_.size()).u64(log_head_).u64(seen_next_);
  for (const auto& r : log_) h.u64(r.client).i64(r.time_us).u64(r.token).u64(r.entry).u64(r.event).boolean(r.accepted);
  for (const auto& s : seen_) h.u64(s.client).u64(s.entry).boolean(s.accepted);
}

}  // namespace dsplay
