#include "score.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

namespace irlint {
namespace {

/// A Reorder as its ends' primitives: the plan node, or -1 - vertex for a layer in none.
using ReorderKey = std::pair<int64_t, int64_t>;

/// What a row says about one layer, against the primitive the plan puts that layer in.
LayerComparison compare_layer(const Graph& g, Vertex v, const PlanNode* node,
                              const ObservedRow& row, bool fused_by_names) {
  LayerComparison c;
  c.layer = v;
  c.name = std::string(g[v].name);
  c.type = std::string(g[v].type);
  c.observed_exec = row.exec.text;
  c.observed_executed = row.status == ExecStatus::executed && !fused_by_names;
  c.observed_fused =
      fused_by_names || (row.status != ExecStatus::executed && row.exec.fused_away());
  c.predicted_fused = node && node->main != v;
  if (node && node->main == v) {
    c.predicted_exec = node->exec_type;
    c.predicted_precision = std::string(to_string(node->precision));
    c.predicted_impl = std::string(to_string(node->impl));
    c.predicted_layout = std::string(exec_graph_name(node->out_layout));
  }
  // Fusion: comparable when the row says either "ran" or "fused away".
  if (c.observed_fused || c.observed_executed)
    c.fused_agrees = c.observed_fused == c.predicted_fused;
  if (!c.observed_executed || c.predicted_fused || !node) return c;
  std::string prec = row.exec.precision.empty() ? row.runtime_precision : row.exec.precision;
  c.observed_precision = prec;
  if (auto obs = parse_precision_name(prec)) {
    c.precision_agrees = is_int8(*obs) ? is_int8(node->precision) : *obs == node->precision;
  }
  if (auto impl = impl_of(row.exec)) {
    c.observed_impl = std::string(to_string(*impl));
    c.impl_agrees = *impl == node->impl;
  }
  if (!row.output_layout.empty() && row.output_layout != "undef") {
    c.observed_layout = row.output_layout;
    c.layout_agrees = row.output_layout == c.predicted_layout;
  }
  return c;
}

void add(Agreement& a, const std::optional<bool>& ok) {
  if (!ok) return;
  ++a.total;
  a.agree += *ok ? 1 : 0;
}

/// The row's name as the file wrote it.
std::string shown_name(const ObservedRow& row) {
  return row.name + (row.name_truncated ? "..." : "");
}

/// One scoring pass: the rows joined in order to the model's layers (a cut name is resolved by
/// the layer the previous row named), then the layers and Reorders compared with the plan.
class Scorer {
 public:
  Scorer(const IrModel& model, const Plan& plan, const Evidence& evidence);
  Score run();

 private:
  const PlanNode* predicted_node(Vertex v) const;
  int64_t key_of(Vertex v) const;
  std::optional<Vertex> find(const std::string& name, bool truncated, std::string* how) const;
  std::optional<Vertex> fed_by_previous(const std::vector<Vertex>& candidates) const;
  void compare(Vertex v, int row_index, bool fused_by_names, const std::string& how);
  void join_reorder(const ObservedRow& row, int row_index);
  bool is_unscored_reorder(const ObservedRow& row, Vertex parent);
  std::optional<Vertex> reorder_parent(const ObservedRow& row) const;
  std::optional<Vertex> reorder_child(const ObservedRow& row, Vertex parent) const;
  bool join_original_names(const ObservedRow& row, int row_index);
  void join_by_name(const ObservedRow& row, int row_index);
  std::optional<Vertex> output_of(const ObservedRow& row, std::string* how) const;
  void tally_layers();
  void compare_reorders();

  const IrModel& model_;
  const Plan& plan_;
  const Evidence& evidence_;
  const Graph& g_;
  std::map<std::string, Vertex, std::less<>> by_name_;
  std::set<Vertex> named_;          // layers some row names exactly
  std::optional<Vertex> previous_;  // the layer the previous row named
  std::map<Vertex, LayerComparison> compared_;
  std::map<ReorderKey, int> observed_reorders_;  // → row
  std::map<ReorderKey, std::pair<std::string, std::string>> ends_;
  Score s_;
};

Scorer::Scorer(const IrModel& model, const Plan& plan, const Evidence& evidence)
    : model_(model), plan_(plan), evidence_(evidence), g_(model.graph) {
  for (Vertex v : boost::make_iterator_range(boost::vertices(g_))) {
    by_name_.emplace(std::string(g_[v].name), v);
  }
  for (const ObservedRow& row : evidence.rows) {
    for (const std::string& n : row.original_names) {
      if (auto it = by_name_.find(n); it != by_name_.end()) named_.insert(it->second);
    }
    if (auto it = by_name_.find(row.name); it != by_name_.end()) named_.insert(it->second);
  }
  s_.target = plan.target.policy ? plan.target.name() : "";
  s_.rows = static_cast<int>(evidence.rows.size());
}

Score Scorer::run() {
  for (size_t i = 0; i < evidence_.rows.size(); ++i) {
    const ObservedRow& row = evidence_.rows[i];
    int ri = static_cast<int>(i);
    if (is_reorder(row)) {
      join_reorder(row, ri);
    } else if (!join_original_names(row, ri)) {
      join_by_name(row, ri);
    }
  }
  tally_layers();
  compare_reorders();
  return std::move(s_);
}

const PlanNode* Scorer::predicted_node(Vertex v) const {
  if (v >= plan_.node_of.size() || plan_.node_of[v] < 0) return nullptr;
  return &plan_.nodes[static_cast<size_t>(plan_.node_of[v])];
}

int64_t Scorer::key_of(Vertex v) const {
  return predicted_node(v) ? static_cast<int64_t>(plan_.node_of[v]) : -1 - static_cast<int64_t>(v);
}

/// Exact name, else (for a truncated name) the unique layer it is a prefix of.
std::optional<Vertex> Scorer::find(const std::string& name, bool truncated,
                                   std::string* how) const {
  auto it = by_name_.find(name);
  if (it != by_name_.end()) {
    *how = "name";
    return it->second;
  }
  if (!truncated || name.empty()) return std::nullopt;
  std::vector<Vertex> candidates;
  for (auto lo = by_name_.lower_bound(name); lo != by_name_.end() && lo->first.starts_with(name);
       ++lo) {
    candidates.push_back(lo->second);
  }
  if (candidates.size() == 1) {
    *how = "prefix";
    return candidates.front();
  }
  std::optional<Vertex> found = fed_by_previous(candidates);
  if (found) *how = "prefix+order";
  return found;
}

/// Of an ambiguous prefix's layers ("fire2/relu_expa..."), the only one fed by the layer the
/// previous row named: tables list nodes in execution order.
std::optional<Vertex> Scorer::fed_by_previous(const std::vector<Vertex>& candidates) const {
  std::optional<Vertex> found;
  for (Vertex c : candidates) {
    bool fed = false;
    for (auto e : boost::make_iterator_range(boost::in_edges(c, g_))) {
      fed = fed || (previous_ && boost::source(e, g_) == *previous_);
    }
    if (!fed) continue;
    if (found) return std::nullopt;
    found = c;
  }
  return found;
}

void Scorer::compare(Vertex v, int row_index, bool fused_by_names, const std::string& how) {
  const ObservedRow& row = evidence_.rows[static_cast<size_t>(row_index)];
  LayerComparison c = compare_layer(g_, v, predicted_node(v), row, fused_by_names);
  c.row = row_index;
  c.how = how;
  compared_.insert_or_assign(v, std::move(c));
  previous_ = v;
}

void Scorer::join_reorder(const ObservedRow& row, int row_index) {
  std::optional<Vertex> parent = reorder_parent(row);
  if (!parent) {
    s_.unlocated_reorders.push_back(shown_name(row));
    return;
  }
  if (is_unscored_reorder(row, *parent)) {
    ++s_.matched_rows;
    return;
  }
  std::optional<Vertex> child = reorder_child(row, *parent);
  if (!child) {
    s_.unlocated_reorders.push_back(shown_name(row));
    return;
  }
  auto key = std::make_pair(key_of(*parent), key_of(*child));
  observed_reorders_.emplace(key, row_index);
  ends_[key] = {std::string(g_[*parent].name), std::string(g_[*child].name)};
  ++s_.matched_rows;
}

/// Counts a Reorder of a constant (weights), or benchmark_app's input conversion, and says so.
bool Scorer::is_unscored_reorder(const ObservedRow& row, Vertex parent) {
  if (g_[parent].type == "Const") {
    ++s_.weight_reorders;
    return true;
  }
  if (g_[parent].type != "Parameter") return false;
  // benchmark_app feeds images as U8 unless told otherwise: a conversion the harness asked
  // for, not one the model implies.
  auto parsed = parse_reorder_name(row.name);
  bool converts = parsed && std::any_of(parsed->formats.begin(), parsed->formats.end(),
                                        [](const std::string& f) { return f == "U8"; });
  std::string_view ir_precision =
      g_[parent].outputs.empty() ? "" : g_[parent].outputs.front().precision;
  if (!converts || ir_precision == "U8") return false;
  ++s_.input_reorders;
  return true;
}

/// The producer: the longest layer name the Reorder's name starts with, followed by '_'.
std::optional<Vertex> Scorer::reorder_parent(const ObservedRow& row) const {
  std::optional<Vertex> parent;
  size_t best = 0;
  for (const auto& [n, v] : by_name_) {
    if (n.size() > best && row.name.size() > n.size() && row.name.starts_with(n) &&
        row.name[n.size()] == '_') {
      best = n.size();
      parent = v;
    }
  }
  return parent;
}

/// The consumer: a layer the name ends with, reading from the producer's primitive; else the
/// only consumer when the name is cut.
std::optional<Vertex> Scorer::reorder_child(const ObservedRow& row, Vertex parent) const {
  std::vector<Vertex> consumers;
  const PlanNode* pn = predicted_node(parent);
  std::vector<Vertex> sources = {parent};
  if (pn) {
    sources.push_back(pn->main);
    sources.insert(sources.end(), pn->fused.begin(), pn->fused.end());
  }
  for (Vertex src : sources) {
    for (auto e : boost::make_iterator_range(boost::out_edges(src, g_))) {
      Vertex t = boost::target(e, g_);
      if (predicted_node(t) && pn && predicted_node(t) == pn) continue;
      if (std::find(consumers.begin(), consumers.end(), t) == consumers.end()) {
        consumers.push_back(t);
      }
    }
  }
  std::optional<Vertex> child;
  for (Vertex t : consumers) {
    std::string_view tn = g_[t].name;
    if (!row.name_truncated && row.name.ends_with("_" + std::string(tn))) child = t;
  }
  if (!child && consumers.size() == 1) child = consumers.front();
  return child;
}

/// A row naming its original layers: the first ran, the others were fused into it.
bool Scorer::join_original_names(const ObservedRow& row, int row_index) {
  bool any = false;
  for (size_t k = 0; k < row.original_names.size(); ++k) {
    std::string how;
    if (auto v = find(row.original_names[k], false, &how)) {
      compare(*v, row_index, k > 0, "original-name");
      any = true;
    }
  }
  if (any) ++s_.matched_rows;
  return any;
}

void Scorer::join_by_name(const ObservedRow& row, int row_index) {
  std::string how;
  std::optional<Vertex> v = find(row.name, row.name_truncated, &how);
  if (!v) v = output_of(row, &how);
  if (!v) {
    s_.unmatched_rows.push_back(shown_name(row));
    return;
  }
  const PlanNode* node = predicted_node(*v);
  if (row.status == ExecStatus::executed && node && node->main != *v &&
      !named_.contains(node->main)) {
    // The plugin named the fused primitive after a layer fused into it (nGraph keeps the
    // last op's name: "conv1" is the bias Add after "conv1/WithoutBiases").
    compare(node->main, row_index, false, "fused-layer-name");
    compare(*v, row_index, true, "fused-layer-name");
  } else {
    compare(*v, row_index, false, how);
  }
  ++s_.matched_rows;
}

/// The Result a legacy output node `out_<producer>` stands for.
std::optional<Vertex> Scorer::output_of(const ObservedRow& row, std::string* how) const {
  if ((row.layer_type != "Output" && row.layer_type != "Result") || !row.name.starts_with("out_")) {
    return std::nullopt;
  }
  auto producer = by_name_.find(row.name.substr(4));
  if (producer == by_name_.end()) return std::nullopt;
  std::optional<Vertex> v;
  for (auto e : boost::make_iterator_range(boost::out_edges(producer->second, g_))) {
    Vertex t = boost::target(e, g_);
    if (g_[t].type == "Result") v = t;
  }
  *how = "output-name";
  return v;
}

void Scorer::tally_layers() {
  for (auto& [v, c] : compared_) {
    add(s_.precision, c.precision_agrees);
    add(s_.impl, c.impl_agrees);
    add(s_.fused, c.fused_agrees);
    add(s_.layout, c.layout_agrees);
    s_.layers.push_back(std::move(c));
  }
  std::sort(s_.layers.begin(), s_.layers.end(),
            [&](const LayerComparison& a, const LayerComparison& b) { return a.row < b.row; });
}

/// Predicted and observed Reorders compared by (producer primitive, consumer primitive).
void Scorer::compare_reorders() {
  std::set<ReorderKey> predicted_keys;
  for (const PlanReorder& r : plan_.reorders) {
    Vertex from = boost::source(r.edge, g_), to = boost::target(r.edge, g_);
    auto key = std::make_pair(key_of(from), key_of(to));
    if (!predicted_keys.insert(key).second) continue;
    ReorderComparison c;
    c.name = reorder_name(model_, plan_, r);
    c.from = std::string(g_[from].name);
    c.to = std::string(g_[to].name);
    c.predicted = true;
    auto it = observed_reorders_.find(key);
    if (it != observed_reorders_.end()) {
      c.observed = true;
      c.row = it->second;
      c.name = evidence_.rows[static_cast<size_t>(it->second)].name;
      ++s_.reorder_true_pos;
    } else {
      ++s_.reorder_false_pos;
    }
    s_.reorders.push_back(std::move(c));
  }
  for (const auto& [key, ri] : observed_reorders_) {
    if (predicted_keys.contains(key)) continue;
    ReorderComparison c;
    c.name = evidence_.rows[static_cast<size_t>(ri)].name;
    c.from = ends_[key].first;
    c.to = ends_[key].second;
    c.observed = true;
    c.row = ri;
    ++s_.reorder_false_neg;
    s_.reorders.push_back(std::move(c));
  }
}

}  // namespace

double Score::reorder_precision() const {
  int predicted = reorder_true_pos + reorder_false_pos;
  return predicted == 0 ? 1.0 : static_cast<double>(reorder_true_pos) / predicted;
}

double Score::reorder_recall() const {
  int observed = reorder_true_pos + reorder_false_neg;
  return observed == 0 ? 1.0 : static_cast<double>(reorder_true_pos) / observed;
}

Score score(const IrModel& model, const Plan& plan, const Evidence& evidence) {
  return Scorer(model, plan, evidence).run();
}

}  // namespace irlint
