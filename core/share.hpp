// Shareable runs: what was open (a built-in lesson or scenario by name, or a user's scenario or
// lesson whole), the seed, the learner's command log and the point reached, as a compact URL
// fragment ("#share=1.<base64url JSON>.<check>") or a share file (desktop, "dsplay-share.json").
// Opening either rebuilds the identical run (Session::replay puts every command back at its exact
// event), checked against the trace hash stored in it. Damaged, foreign or oversized links give
// one-line errors. Pure: no I/O, the apps and tests pass the text.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/session.hpp"

namespace dsplay {

constexpr int kShareVersion = 1;
// Longest share link (the text after "share="). Browsers take far longer URLs, but chat tools,
// mail clients and LMS pages truncate or mangle long ones; a run that needs more is shared as a file.
constexpr std::size_t kShareLinkMaxChars = 8192;

struct ShareState {
  // What was open: exactly one of these four is set.
  std::string lesson;         // a built-in lesson, by name
  std::string scenario;       // a built-in scenario, by name
  std::string scenario_json;  // a user's scenario, whole (scenario_to_json)
  std::string lesson_json;    // a user's lesson file, whole (share files; usually too long for a link)
  std::string title;          // for messages ("Opened the shared run of ...")
  std::uint64_t seed = 1;
  std::vector<LoggedCommand> log;  // every command up to `event`, rejected ones too (they are events)
  std::uint64_t event = 0;         // the point reached
  SimTimeUs time_us = 0;
  std::int32_t step = -1;          // lesson step shown (-1: no lesson)
  std::uint64_t step_event = 0;    // the event that step started at ("reset this step" returns there)
  std::uint64_t trace_hash = 0;    // of the run at (event, time_us)
  bool operator==(const ShareState&) const = default;
};

// The session's seed, its command log up to the current point, the point and its trace hash.
// The caller fills in what was open (and the lesson step).
ShareState capture_share(const Session& session);

// Compact JSON (the link's content) and back. Errors are one line.
std::string share_payload_json(const ShareState& share);
std::optional<ShareState> parse_share_payload(std::string_view json_text, std::string& error);

// "1.<base64url>.<8 hex digits of a checksum>"; nullopt + error when it would be too long.
std::optional<std::string> encode_share_link(const ShareState& share, std::string& error);
// Accepts the link with or without a leading "#share=" / "share="; nullopt + error when damaged.
std::optional<ShareState> decode_share_link(std::string_view link, std::string& error);

// A share file: pretty JSON with "dsplay_share": 1 (core/lesson.hpp detect_document_kind knows it).
std::string share_file_text(const ShareState& share);
std::optional<ShareState> parse_share_file(std::string_view text, std::string& error);

// Rebuilds the shared run on `scenario` (the one the share names, found by the caller): the
// share's seed, every command replayed at its event, then advanced to the shared point.
struct ShareRebuild {
  std::unique_ptr<Session> session;  // null when the log does not fit the scenario (error says why)
  std::string error;
  bool hash_matches = false;         // the rebuilt run has the shared trace hash
};
ShareRebuild rebuild_shared_run(const Scenario& scenario, const ShareState& share);

// base64url without padding (RFC 4648 section 5), exposed for tests.
std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace dsplay
