#pragma once

#include <ostream>

#include "plan.hpp"

namespace irlint {

/// The OpenVINO layer type a plan node reports in exec graphs ("Convolution", "Eltwise", …).
std::string_view exec_layer_type(const IrModel& model, const PlanNode& node);

/// Writes the plan as an exec-graph XML in OpenVINO's schema (execOrder, layerType,
/// originalLayersNames, outputLayouts, outputPrecisions, primitiveType, runtimePrecision).
void write_exec_graph(const IrModel& model, const Plan& plan, std::ostream& out);

/// Writes the plan as Graphviz DOT: precision as colour, Reorders as marked nodes.
void write_dot(const IrModel& model, const Plan& plan, std::ostream& out);

}  // namespace irlint
