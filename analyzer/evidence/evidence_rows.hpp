#pragma once
// What the evidence readers share: lines and cells, statuses, names, and rows built from the
// exec graph's keys, which four formats carry.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "evidence.hpp"

namespace irlint::evidence_detail {

/// Exec-graph style keys of one node (execOrder, layerType, primitiveType, …) and their values.
using KeyValues = std::map<std::string, std::string>;

/// The pieces of `s` between the `sep`s (n separators give n + 1 pieces).
std::vector<std::string_view> split(std::string_view s, char sep);
/// The lines of `text`, without their trailing '\r'.
std::vector<std::string_view> lines_of(std::string_view text);
/// The number `s` is, spaces around it allowed.
std::optional<double> to_number(std::string_view s);
/// `EXECUTED`, `NOT_RUN`, `OPTIMIZED_OUT`, with or without Python's `Status.`.
ExecStatus parse_status(std::string_view s);
/// Whether `t` is a precision as OpenVINO prints it in exec types and Reorder names.
bool is_precision_token(std::string_view t);
/// Sets the row's name from a cell: trimmed, without `subgraph0:`, a trailing "..." noted.
void set_name(ObservedRow& row, std::string_view name);
/// Fills a row from exec-graph style keys.
ObservedRow row_from_keys(const KeyValues& kv, std::string_view name);
/// The `key=value` lines of a block (`#` comment marks dropped).
KeyValues key_values(std::string_view block);
/// Puts the rows in execution order (formats that list nodes in another order).
void sort_by_exec_order(Evidence& ev);
/// Notes a row whose fields the file cut off, when it lacks any.
void note_missing(const ObservedRow& row, Evidence& ev);

}  // namespace irlint::evidence_detail
