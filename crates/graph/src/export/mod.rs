//! Exporters: the JSON contract and GraphViz DOT.

pub mod dot;
pub mod json;
